import { HttpProblem } from '../http/problem.js';
import type { Job } from '../jobs/job.js';
import type { WorkerRuntime } from '../runtime.js';

/** The job named in the route, or a 404 `unknown-job` problem. */
export function findJob(runtime: WorkerRuntime, name: string | undefined): Job {
  const job = name ? runtime.job(name) : undefined;
  if (!job) {
    throw new HttpProblem({
      status: 404,
      slug: 'unknown-job',
      title: 'Unknown job',
      detail: `There is no job ${JSON.stringify(name ?? '')}; known jobs are statements (and bench when enabled).`,
    });
  }
  return job;
}
