/**
 * A real Redis for queue tests: Debian's redis-server on 127.0.0.1, a free port, no persistence,
 * stopped by the test. `.ci/setup-deps` installs it when missing.
 */
import { RedisClient } from "bun";

/** A running redis-server. */
export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now. */
function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

/** Starts redis-server and resolves once it answers PING. */
export async function startRedis(): Promise<TestRedis> {
  const port = freePort();
  const proc = Bun.spawn(["redis-server", "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"], { stdout: "ignore", stderr: "pipe" });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const client = new RedisClient(url);
      await client.connect();
      await client.send("PING", []);
      client.close();
      return {
        url,
        async stop() {
          proc.kill("SIGTERM");
          await proc.exited;
        },
      };
    } catch {
      await Bun.sleep(50);
    }
  }
  proc.kill("SIGKILL");
  throw new Error(`redis-server did not start on ${url}: ${await new Response(proc.stderr).text()}`);
}
