"""Benchmark: background-job overhead through the real worker, and "Meine Aufträge".

Usage (the test settings, for the test app's job kinds; SQLite file or PostgreSQL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bruecke_bench \\
        .venv/bin/python bench/jobs.py --jobs 200 --workers 1 2

For each worker count, `--jobs` trivial jobs (kind `test.count`, one step, a 6-byte result
file) of one user are started, then that many `manage.py run_worker --batch` processes run
them; the time from the workers' start to the last one's exit is the figure (it includes
each process's start-up, about 1.5 s). Then the user's "Meine Aufträge" page is measured
with all those jobs (25 per page; the query count must not depend on the number of jobs).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

os.environ["DJANGO_SETTINGS_MODULE"] = "bruecke.settings_test"
os.environ["BRUECKE_ENV"] = "test"

from common import ROOT, measure, print_header, setup, signed_in


def _run(jobs: int, workers: int) -> None:
    from bruecke.jobs.models import Job, JobState
    from bruecke.jobs.services import job_start
    from bruecke.network.demo import seed_network

    user = seed_network().users["cm_a"]
    for index in range(jobs):
        job_start(actor=user, kind="test.count", params={"steps": 1, "n": index, "w": workers}, title="Bench")
    env = {**os.environ}
    started = time.perf_counter()
    processes = [
        subprocess.Popen(  # noqa: S603 (our own manage.py)
            [sys.executable, str(ROOT / "manage.py"), "run_worker", "--batch", "--no-startup-delay", "-v0"],
            env=env,
            cwd=ROOT,
        )
        for _worker in range(workers)
    ]
    for process in processes:
        assert process.wait() == 0
    seconds = time.perf_counter() - started
    done = Job.objects.filter(params__w=workers, state=JobState.DONE).count()
    assert done == jobs, (done, jobs)
    rate, each = jobs / seconds, 1000 * seconds / jobs
    print(f"{jobs} jobs, {workers} worker(s): {seconds:.1f} s, {rate:.1f} jobs/s, {each:.0f} ms/job")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    setup()
    from bruecke.jobs.models import Job

    Job.objects.all().delete()
    for workers in options.workers:
        _run(options.jobs, workers)
    from bruecke.network.demo import seed_network

    client = signed_in(seed_network().users["cm_a"])
    print_header()
    measure(client, f"Meine Aufträge ({Job.objects.count()} jobs)", "/jobs/", options.runs)
    measure(client, "Meine Aufträge, last page", f"/jobs/?page={Job.objects.count() // 25}", options.runs)


if __name__ == "__main__":
    main()
