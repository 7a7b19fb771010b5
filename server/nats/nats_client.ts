/**
 * The NATS connection of the server, from the `nats` config section:
 * `address` (one URL or a comma-separated list), `username` and `password`
 * (used only when both are set) and `creds-file-path` (a NATS credentials
 * file, re-read at every connect so rotated credentials are picked up).
 *
 * As in cc-backend a broker that cannot be reached does not stop the server:
 * the first failure is logged as a warning and the client keeps trying in
 * the background; once connected, the client reconnects by itself and
 * subscriptions survive reconnects. Subscriptions may be added before the
 * first connection.
 *
 * @module
 */
import {
  type Authenticator,
  type ConnectionOptions,
  credsAuthenticator,
  type NatsConnection,
  type Subscription,
  usernamePasswordAuthenticator,
} from "@nats-io/nats-core";
import type { NatsConfig } from "../config/mod.ts";
import { log } from "../log/logger.ts";
import { connectNats } from "./deno_transport.ts";
import type { ConnectionState } from "./nats_stats.ts";

/** Handles one message; the next message of the subscription waits for it. */
export type MessageHandler = (data: Uint8Array, subject: string) => Promise<void> | void;

/** Options of {@link NatsClient}. */
export interface NatsClientOptions {
  /** Milliseconds between connection attempts (default 2000). */
  reconnectWaitMs?: number;
  /** Milliseconds a connection attempt may take (default 10 000). */
  connectTimeoutMs?: number;
  /** Client name shown by the broker (default `cc-backend`). */
  name?: string;
}

/** Longest wait for the broker to confirm a drain at shutdown. */
const DRAIN_TIMEOUT_MS = 10_000;

interface Entry {
  subject: string;
  handler: MessageHandler;
  sub?: Subscription;
  loop?: Promise<void>;
}

/** A NATS connection that (re)connects in the background. */
export class NatsClient {
  readonly address: string;
  readonly #config: NatsConfig;
  readonly #options: Required<NatsClientOptions>;
  readonly #entries: Entry[] = [];
  #nc?: NatsConnection;
  #state: ConnectionState = "connecting";
  #reconnects = 0;
  #closing = false;
  #wakeSleep?: () => void;
  #onConnected: (() => void)[] = [];
  readonly #running: Promise<void>;

  /** Starts connecting to `config.address` in the background. */
  constructor(config: NatsConfig, options: NatsClientOptions = {}) {
    this.address = config.address;
    this.#config = config;
    this.#options = {
      reconnectWaitMs: options.reconnectWaitMs ?? 2000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      name: options.name ?? "cc-backend",
    };
    this.#running = this.#run();
  }

  /** The connection state. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Reconnects since the first connection. */
  get reconnects(): number {
    return this.#reconnects;
  }

  /** Resolves once connected (at once when connected now). */
  connected(): Promise<void> {
    if (this.#state === "connected") return Promise.resolve();
    return new Promise((resolve) => this.#onConnected.push(resolve));
  }

  /** Subscribes `handler` to `subject` now or when connected; messages are handled one at a time. */
  subscribe(subject: string, handler: MessageHandler): void {
    const entry: Entry = { subject, handler };
    this.#entries.push(entry);
    if (this.#nc && !this.#nc.isClosed()) this.#attach(this.#nc, entry);
  }

  /**
   * Stops: unsubscribes, lets the handlers finish the messages already
   * received (drain), then closes the connection.
   */
  async close(): Promise<void> {
    this.#closing = true;
    this.#wakeSleep?.();
    const nc = this.#nc;
    if (nc && !nc.isClosed()) {
      try {
        if (this.#state === "connected" && !nc.isDraining()) {
          const draining = nc.drain();
          // After a timeout the connection is closed, and the drain may still fail later.
          draining.catch(() => {});
          await withTimeout(draining, DRAIN_TIMEOUT_MS, "draining took too long");
        } else await nc.close();
      } catch (error) {
        log.warn(`NATS: draining the connection failed: ${(error as Error).message}`);
        await nc.close();
      }
    }
    await Promise.all(this.#entries.map((e) => e.loop));
    await this.#running;
    this.#state = "closed";
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#closing) {
      let nc: NatsConnection;
      try {
        nc = await connectNats(this.#connectOptions());
      } catch (error) {
        failures++;
        const text = `NATS: cannot connect to ${this.address}: ${(error as Error).message}`;
        if (failures === 1) {
          log.warn(`${text}; retrying every ${this.#options.reconnectWaitMs} ms in the background`);
        } else log.debug(text);
        await this.#sleep(this.#options.reconnectWaitMs);
        continue;
      }
      if (this.#closing) {
        await nc.close();
        return;
      }
      failures = 0;
      // A new connection after the library gave up on the previous one counts as a reconnect.
      if (this.#nc) this.#reconnects++;
      this.#nc = nc;
      log.info(`NATS: connected to ${nc.getServer()}`);
      for (const entry of this.#entries) this.#attach(nc, entry);
      this.#setConnected();
      void this.#watch(nc);
      const reason = await nc.closed();
      if (this.#closing) return;
      // Closed by the client library itself (it gave up reconnecting): start over.
      this.#state = "reconnecting";
      log.error(
        `NATS: connection to ${this.address} closed${reason ? `: ${reason.message}` : ""}; ` +
          "connecting again",
      );
      await this.#sleep(this.#options.reconnectWaitMs);
    }
  }

  #connectOptions(): ConnectionOptions {
    const { username, password, credsFilePath } = this.#config;
    const authenticators: Authenticator[] = [];
    if (username && password) {
      authenticators.push(usernamePasswordAuthenticator(username, password));
    }
    if (credsFilePath) {
      // Fail this attempt early with a clear message when the file is unreadable.
      Deno.readFileSync(credsFilePath);
      authenticators.push(credsAuthenticator(() => Deno.readFileSync(credsFilePath)));
    }
    return {
      servers: this.address.split(",").map((s) => s.trim()).filter((s) => s !== ""),
      name: this.#options.name,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: this.#options.reconnectWaitMs,
      timeout: this.#options.connectTimeoutMs,
      ignoreAuthErrorAbort: true,
      authenticator: authenticators.length > 0 ? authenticators : undefined,
    };
  }

  #attach(nc: NatsConnection, entry: Entry): void {
    let sub: Subscription;
    try {
      sub = nc.subscribe(entry.subject);
    } catch (error) {
      log.error(
        `NATS: cannot subscribe to ${JSON.stringify(entry.subject)}: ${(error as Error).message}`,
      );
      return;
    }
    entry.sub = sub;
    const previous = entry.loop;
    entry.loop = (async () => {
      await previous;
      for await (const msg of sub) {
        try {
          await entry.handler(msg.data, msg.subject);
        } catch (error) {
          log.error(
            `NATS: handling a message on ${JSON.stringify(msg.subject)} failed: ` +
              `${(error as Error)?.stack ?? error}`,
          );
        }
      }
    })();
  }

  async #watch(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      switch (status.type) {
        case "disconnect":
          if (this.#closing) break;
          this.#state = "reconnecting";
          log.warn(`NATS: disconnected from ${status.server}; reconnecting in the background`);
          break;
        case "reconnect":
          this.#reconnects++;
          this.#setConnected();
          log.info(`NATS: reconnected to ${status.server}`);
          break;
        case "error":
          log.warn(`NATS: server error: ${status.error.message}`);
          break;
        case "slowConsumer":
          log.warn(`NATS: slow consumer on ${JSON.stringify(status.sub.getSubject())}`);
          break;
        default:
          break;
      }
    }
  }

  #setConnected(): void {
    this.#state = "connected";
    for (const resolve of this.#onConnected.splice(0)) resolve();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wakeSleep = done;
    });
  }
}

/** `promise`, or a rejection with `message` after `ms`. */
async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
