/**
 * A real nats-server for the NATS tests: started on a free 127.0.0.1 port
 * from a generated config (optionally with user/password or with an
 * operator, an account and a user credentials file), restartable on the same
 * port, stopped and removed afterwards.
 *
 * Without a `nats-server` program the tests are skipped with a message naming
 * the package; with the environment variable `CI` set they fail instead.
 *
 * @module
 */
import { join } from "node:path";
import { nkeys } from "@nats-io/nats-core";

const SEARCH = ["/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"];

function findProgram(name: string): string | undefined {
  const dirs = [...(Deno.env.get("PATH") ?? "").split(":").filter(Boolean), ...SEARCH];
  for (const dir of dirs) {
    try {
      const path = join(dir, name);
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** The nats-server program, if installed. */
export const NATS_SERVER: string | undefined = findProgram("nats-server");

const MISSING = "the NATS tests need nats-server: apt-get install nats-server";
if (!NATS_SERVER) {
  if (Deno.env.get("CI")) throw new Error(MISSING);
  console.warn(`skipping: ${MISSING}`);
}

/** `Deno.test` options of a test that needs nats-server. */
export const NEEDS_NATS: { ignore: boolean } = { ignore: NATS_SERVER === undefined };

/** How clients authenticate to the test server. */
export type NatsAuth =
  | { kind: "none" }
  | { kind: "password"; user: string; password: string }
  | { kind: "creds" };

/** A running nats-server. */
export class NatsServer {
  readonly dir: string;
  readonly port: number;
  /** `nats://127.0.0.1:<port>`. */
  readonly url: string;
  /** With `kind: "creds"`: the user credentials file that lets clients in. */
  readonly credsFile?: string;
  #child?: Deno.ChildProcess;

  private constructor(dir: string, port: number, credsFile?: string) {
    this.dir = dir;
    this.port = port;
    this.url = `nats://127.0.0.1:${port}`;
    this.credsFile = credsFile;
  }

  /** Starts a server with `auth` (default none) and waits until it accepts connections. */
  static async start(auth: NatsAuth = { kind: "none" }): Promise<NatsServer> {
    if (!NATS_SERVER) throw new Error(MISSING);
    const dir = await Deno.makeTempDir({ prefix: "cc-nats-test-" });
    const port = freePort();
    let config = `listen: "127.0.0.1:${port}"\n`;
    let credsFile: string | undefined;
    if (auth.kind === "password") {
      config += `authorization {\n  user: ${JSON.stringify(auth.user)}\n  password: ${
        JSON.stringify(auth.password)
      }\n}\n`;
    } else if (auth.kind === "creds") {
      const trust = operatorTrust();
      await Deno.writeTextFile(join(dir, "operator.jwt"), trust.operatorJwt);
      credsFile = join(dir, "user.creds");
      await Deno.writeTextFile(credsFile, trust.creds);
      config += `operator: ${JSON.stringify(join(dir, "operator.jwt"))}\nresolver: MEMORY\n` +
        `resolver_preload: {\n  ${trust.account}: ${JSON.stringify(trust.accountJwt)}\n}\n`;
    }
    await Deno.writeTextFile(join(dir, "nats.conf"), config);
    const server = new NatsServer(dir, port, credsFile);
    await server.#spawn();
    return server;
  }

  /** Kills the server (the port stays reserved for {@link restart}). */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = undefined;
    child.kill("SIGKILL");
    await child.status;
  }

  /** Starts the server again on the same port. */
  async restart(): Promise<void> {
    await this.kill();
    await this.#spawn();
  }

  /** Stops the server and removes its files. */
  async stop(): Promise<void> {
    await this.kill();
    await Deno.remove(this.dir, { recursive: true });
  }

  async #spawn(): Promise<void> {
    this.#child = new Deno.Command(NATS_SERVER!, {
      args: ["-c", join(this.dir, "nats.conf"), "-l", join(this.dir, "nats.log")],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        (await Deno.connect({ hostname: "127.0.0.1", port: this.port })).close();
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`nats-server did not listen on port ${this.port}: ${error}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** A NATS JWT (`ed25519-nkey`) for `subject`, signed by `issuer`. */
function natsJwt(
  issuer: nkeys.KeyPair,
  subject: string,
  nats: Record<string, unknown>,
): string {
  const header = base64url(encoder.encode(JSON.stringify({ typ: "JWT", alg: "ed25519-nkey" })));
  const claims = {
    jti: crypto.randomUUID().replace(/-/g, "").toUpperCase(),
    iat: Math.floor(Date.now() / 1000),
    iss: issuer.getPublicKey(),
    name: subject.slice(0, 8),
    sub: subject,
    nats: { version: 2, ...nats },
  };
  const body = base64url(encoder.encode(JSON.stringify(claims)));
  const signature = base64url(issuer.sign(encoder.encode(`${header}.${body}`)));
  return `${header}.${body}.${signature}`;
}

/** An operator trusting one account with one user, and that user's credentials file. */
function operatorTrust(): {
  operatorJwt: string;
  account: string;
  accountJwt: string;
  creds: string;
} {
  const operator = nkeys.createOperator();
  const account = nkeys.createAccount();
  const user = nkeys.createUser();
  const unlimited = { subs: -1, data: -1, payload: -1 };
  const userJwt = natsJwt(account, user.getPublicKey(), {
    type: "user",
    pub: {},
    sub: {},
    ...unlimited,
  });
  const seed = new TextDecoder().decode(user.getSeed());
  return {
    operatorJwt: natsJwt(operator, operator.getPublicKey(), { type: "operator" }),
    account: account.getPublicKey(),
    accountJwt: natsJwt(operator, account.getPublicKey(), {
      type: "account",
      limits: { ...unlimited, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 },
    }),
    creds: `-----BEGIN NATS USER JWT-----\n${userJwt}\n------END NATS USER JWT------\n\n` +
      `-----BEGIN USER NKEY SEED-----\n${seed}\n------END USER NKEY SEED------\n`,
  };
}
