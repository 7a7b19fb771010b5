/**
 * The navbar entries per role, as cc-backend's `Header.svelte` defines
 * them: an entry is shown when the user's auth level (highest role) reaches
 * its required role. Pure data, rendered by `navbar.tsx`.
 *
 * @module
 */
import type { AuthUser } from "../../server/auth/auth_user.ts";

/** Auth levels of the roles (`GetAuthLevel`: the highest role held; 0 anonymous). */
export const ROLE_LEVELS: Readonly<Record<string, number>> = Object.freeze({
  api: 1,
  user: 2,
  manager: 3,
  support: 4,
  admin: 5,
});

/** The highest role level of `user` (0 without a known role). */
export function authLevel(user: Pick<AuthUser, "roles"> | undefined): number {
  return Math.max(0, ...(user?.roles ?? []).map((r) => ROLE_LEVELS[r] ?? 0));
}

/** A cluster and its subclusters, for the per-cluster menus. */
export interface ClusterNav {
  name: string;
  subClusters: string[];
}

/** A link inside a dropdown. */
export interface NavMenuItem {
  title: string;
  href: string;
}

/** A group of dropdown links, optionally under a header (the cluster). */
export interface NavMenuSection {
  header?: string;
  items: NavMenuItem[];
}

/** A navbar entry: a plain link, or a dropdown when `sections` is set. */
export interface NavEntry {
  /** Stable id (used by tests and for the active state). */
  id: "myjobs" | "jobs" | "tags" | "users" | "projects" | "nodes" | "analysis" | "status" | "logs";
  title: string;
  href: string;
  /** Bootstrap Icons name. */
  icon: string;
  sections?: NavMenuSection[];
}

const enc = encodeURIComponent;

function listMenu(href: string, clusters: ClusterNav[]): NavMenuSection[] {
  return [
    { items: [{ title: "All Clusters", href: `${href}?startTime=last30d` }] },
    ...clusters.map((c) => ({
      header: c.name,
      items: [
        { title: "All Jobs", href: `${href}?cluster=${enc(c.name)}&startTime=last30d` },
        {
          title: "Running Jobs",
          href: `${href}?cluster=${enc(c.name)}&state=running&startTime=last30d`,
        },
      ],
    })),
  ];
}

/** The entries `user` sees, in navbar order. */
export function navEntries(user: AuthUser, clusters: ClusterNav[]): NavEntry[] {
  const level = authLevel(user);
  const byLevel = (titles: Record<number, string>) => titles[level] ?? titles[5];
  const entries: (NavEntry & { required: number })[] = [
    {
      id: "myjobs",
      required: 2,
      title: "My Jobs",
      href: `/monitoring/user/${enc(user.username)}`,
      icon: "bar-chart-line",
    },
    {
      id: "jobs",
      required: 2,
      title: byLevel({ 2: "Job Search", 3: "Managed Jobs", 5: "Jobs" }),
      href: "/monitoring/jobs/",
      icon: "card-list",
    },
    { id: "tags", required: 2, title: "Tags", href: "/monitoring/tags/", icon: "tags" },
    {
      id: "users",
      required: 3,
      title: byLevel({ 3: "Managed Users", 5: "Users" }),
      href: "/monitoring/users/",
      icon: "people",
      sections: listMenu("/monitoring/users/", clusters),
    },
    {
      id: "projects",
      required: 3,
      title: byLevel({ 3: "Managed Projects", 5: "Projects" }),
      href: "/monitoring/projects/",
      icon: "journals",
      sections: listMenu("/monitoring/projects/", clusters),
    },
    {
      id: "nodes",
      required: 4,
      title: "Nodes",
      href: "/monitoring/systems/",
      icon: "hdd-rack",
      sections: clusters.map((c) => ({
        header: c.name,
        items: [
          { title: "Node Overview", href: `/monitoring/systems/${enc(c.name)}` },
          { title: "Node List", href: `/monitoring/systems/list/${enc(c.name)}` },
          ...c.subClusters.map((sc) => ({
            title: `${sc} Node List`,
            href: `/monitoring/systems/list/${enc(c.name)}/${enc(sc)}`,
          })),
        ],
      })),
    },
    {
      id: "analysis",
      required: 4,
      title: "Analysis",
      href: "/monitoring/analysis/",
      icon: "graph-up",
      sections: [{
        items: clusters.map((c) => ({
          title: c.name,
          href: `/monitoring/analysis/${enc(c.name)}`,
        })),
      }],
    },
    {
      id: "status",
      required: 5,
      title: "Status",
      href: "/monitoring/status/",
      icon: "clipboard-data",
      sections: clusters.map((c) => ({
        header: c.name,
        items: [
          { title: "Status Dashboard", href: `/monitoring/status/${enc(c.name)}` },
          { title: "Status Details", href: `/monitoring/status/detail/${enc(c.name)}` },
        ],
      })),
    },
    { id: "logs", required: 5, title: "Logs", href: "/monitoring/logs", icon: "journal-text" },
  ];
  return entries.filter((e) => e.required <= level).map(({ required: _, ...entry }) => entry);
}

/** Whether the page at `path` belongs to `entry` (highlighted in the navbar). */
export function isActive(entry: NavEntry, path: string): boolean {
  if (entry.sections) return path.startsWith(entry.href);
  if (entry.id === "jobs") return path === entry.href || path.startsWith("/monitoring/job/");
  return path === entry.href;
}

/** The search help text (support and admin may also search users by name). */
export function searchHelp(user: AuthUser): string {
  return authLevel(user) >= ROLE_LEVELS.support
    ? "Example: 'projectId:a100cd', Types are: jobId | jobName | projectId | arrayJobId | username | name"
    : "Example: 'jobName:myjob', Types are jobId | jobName | projectId | arrayJobId";
}
