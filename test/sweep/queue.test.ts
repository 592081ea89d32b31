/**
 * Sweeps across machines on BullMQ with a real Redis: a sweep enqueued from one process, run by
 * two `bun run sweep worker` processes; the first is killed with SIGKILL while it runs a job. Its
 * job is taken over by the other once its lock lapses, and results.parquet equals a local run's
 * byte for byte: no variant missing, none counted twice.
 */
import { afterAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { Queue, createBunRedisClient } from "bullmq";
import { RedisClient } from "bun";
import { QUEUE_NAME } from "../../src/core/sweep/queue.ts";
import { ROOT, runScript } from "../helpers/cli.ts";
import { startRedis } from "../helpers/redis.ts";
import { readUntil } from "../helpers/stream.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("queue");
const redis = await startRedis();
const spawned: Bun.Subprocess[] = [];
afterAll(async () => {
  for (const proc of spawned) proc.kill("SIGKILL");
  await Promise.all(spawned.map((p) => p.exited));
  await redis.stop();
  dir[Symbol.dispose]();
});

function spawn(args: string[]) {
  const proc = Bun.spawn(["bun", "src/cli/sweep.ts", ...args], { cwd: ROOT, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  spawned.push(proc);
  return proc;
}

test("two queue workers, one killed mid-job: the results equal a local run's, no variant missing or doubled", async () => {
  const local = runScript("sweep", ["sessions/july-sweep.yaml", "--workers", "2", "--out", `${dir.path}/local`]);
  expect(local.exitCode).toBe(0);

  const first = spawn(["worker", "--queue", redis.url, "--workers", "1", "--lock-ms", "2000"]);
  const enqueuer = spawn(["sessions/july-sweep.yaml", "--queue", redis.url, "--json", "--out", `${dir.path}/queued`]);
  const output = { text: "" };
  // The first worker alone has done a few variants (so it is busy with the next one) ...
  await readUntil(enqueuer.stdout as ReadableStream<Uint8Array>, (t) => t.split('"event":"variant"').length > 5, 60_000, output);
  // ... the second starts, and the first dies in the middle of its job.
  const second = spawn(["worker", "--queue", redis.url, "--workers", "1", "--lock-ms", "2000"]);
  await Bun.sleep(300);
  first.kill("SIGKILL");
  await first.exited;
  await readUntil(enqueuer.stdout as ReadableStream<Uint8Array>, (t) => t.includes('"event":"done"'), 120_000, output);
  expect(await enqueuer.exited).toBe(0);

  const lines = output.text.trim().split("\n").map((l) => JSON.parse(l));
  const variants = lines.filter((l) => l.event === "variant");
  expect(variants.length).toBe(58);
  expect(new Set(variants.map((v) => v.id)).size).toBe(58);
  expect(variants.every((v) => v.status === "ok")).toBe(true);
  expect(readFileSync(`${dir.path}/queued/results.parquet`).equals(readFileSync(`${dir.path}/local/results.parquet`))).toBe(true);
  expect(readFileSync(`${dir.path}/queued/best.yaml`, "utf8")).toBe(readFileSync(`${dir.path}/local/best.yaml`, "utf8"));

  // The killed worker's job was taken over after its lock lapsed (BullMQ's stalled-job check).
  const client = createBunRedisClient(new RedisClient(redis.url));
  const queue = new Queue(QUEUE_NAME, { connection: client });
  try {
    const completed = await queue.getCompleted(0, 100);
    expect(completed.length).toBe(58);
    expect(completed.filter((j) => (j.stalledCounter ?? 0) > 0).length).toBeGreaterThanOrEqual(1);
  } finally {
    await queue.close();
    client.disconnect();
  }
  second.kill("SIGTERM");
  await second.exited;
}, 180_000);
