/**
 * A private OpenLDAP server for tests: `slapd` from Debian's `slapd`
 * package started on a free 127.0.0.1 port with a generated `slapd.conf`
 * and an mdb database in a temporary directory (the system's slapd service
 * is neither needed nor touched), filled with `ldapadd` from `ldap-utils`.
 *
 * @module
 */

/** The directory's layout. */
export const SUFFIX = "dc=example,dc=org";
export const PEOPLE = `ou=people,${SUFFIX}`;
export const ADMIN_DN = `cn=admin,${SUFFIX}`;
export const ADMIN_PASSWORD = "admin-secret";

const PROGRAMS = ["slapd", "ldapadd", "ldapdelete"];
const SEARCH_PATH = ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"];

function findProgram(name: string): string | undefined {
  for (const dir of [...(Deno.env.get("PATH") ?? "").split(":"), ...SEARCH_PATH]) {
    if (!dir) continue;
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Why the LDAP suite cannot run here, or undefined when it can. */
export function slapdMissing(): string | undefined {
  const missing = PROGRAMS.filter((p) => !findProgram(p));
  if (missing.length === 0) return undefined;
  return `${missing.join(", ")} not found: install the Debian packages slapd and ldap-utils ` +
    "(apt-get install slapd ldap-utils)";
}

/** A user entry to load. */
export interface LdapTestUser {
  uid: string;
  password: string;
  /** Full name (`gecos`). */
  name: string;
}

/** The server. */
export interface Slapd {
  url: string;
  port: number;
  addUsers(users: LdapTestUser[]): Promise<void>;
  deleteUser(uid: string): Promise<void>;
  /** Stops the server (idempotent); the data directory stays until {@link close}. */
  stop(): Promise<void>;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function waitForPort(port: number, process: Deno.ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  let exited = false;
  process.status.then(() => exited = true);
  while (Date.now() < deadline) {
    if (exited) throw new Error("slapd exited during start-up");
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`slapd did not listen on 127.0.0.1:${port} within ${ms} ms`);
}

async function run(program: string, args: string[], input?: string): Promise<void> {
  const child = new Deno.Command(findProgram(program) ?? program, {
    args,
    stdin: input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (input !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(input));
    await writer.close();
  }
  const out = await child.output();
  if (!out.success) {
    throw new Error(`${program} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
}

function userLdif(user: LdapTestUser, index: number): string {
  return `dn: uid=${user.uid},${PEOPLE}
objectClass: inetOrgPerson
objectClass: posixAccount
uid: ${user.uid}
cn: ${user.name}
sn: ${user.name.split(" ").at(-1)}
gecos: ${user.name}
uidNumber: ${2000 + index}
gidNumber: 2000
homeDirectory: /home/${user.uid}
userPassword: ${user.password}
`;
}

/** Starts slapd with the base entries; throws when it cannot start. */
export async function startSlapd(): Promise<Slapd> {
  const dir = await Deno.makeTempDir({ prefix: "cc-slapd-" });
  await Deno.mkdir(`${dir}/db`);
  const port = freePort();
  const conf = `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
database mdb
maxsize 10485760
suffix "${SUFFIX}"
rootdn "${ADMIN_DN}"
rootpw ${ADMIN_PASSWORD}
directory ${dir}/db
`;
  await Deno.writeTextFile(`${dir}/slapd.conf`, conf);
  const url = `ldap://127.0.0.1:${port}/`;
  const process = new Deno.Command(findProgram("slapd") ?? "slapd", {
    // -d 0: stay in the foreground (so the test owns the process), log nothing.
    args: ["-f", `${dir}/slapd.conf`, "-h", url, "-d", "0"],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      process.kill("SIGTERM");
    } catch {
      // already gone
    }
    await process.stderr.cancel().catch(() => {});
    await process.status;
  };
  const admin = ["-x", "-H", url, "-D", ADMIN_DN, "-w", ADMIN_PASSWORD];
  try {
    await waitForPort(port, process, 10_000);
    await run(
      "ldapadd",
      admin,
      `dn: ${SUFFIX}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ${PEOPLE}
objectClass: organizationalUnit
ou: people
`,
    );
  } catch (error) {
    stopped = true;
    try {
      process.kill("SIGTERM");
    } catch {
      // already gone
    }
    const stderr = await new Response(process.stderr).text().catch(() => "");
    await process.status;
    await Deno.remove(dir, { recursive: true });
    throw new Error(`cannot start slapd: ${(error as Error).message} ${stderr}`.trim());
  }
  let count = 0;
  return {
    url,
    port,
    addUsers: (users) => run("ldapadd", admin, users.map((u) => userLdif(u, count++)).join("\n")),
    deleteUser: (uid) => run("ldapdelete", [...admin, `uid=${uid},${PEOPLE}`]),
    stop,
    async close() {
      await stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
