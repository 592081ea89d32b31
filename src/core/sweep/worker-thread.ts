/**
 * The entry of a sweep's worker thread (a Bun Worker): runs the jobs it is sent, one at a time,
 * and posts each result back. Its module cache and store cache live as long as the thread, so
 * every variant after the first runs warm.
 */
import type { SweepJob } from "./job.ts";
import { runJob } from "./run-job.ts";

declare const self: Worker;

self.onmessage = async (event: MessageEvent<SweepJob>) => {
  self.postMessage(await runJob(event.data));
};
