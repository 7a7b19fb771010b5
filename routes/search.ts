/**
 * The navbar search `GET /search?searchId=<text>` (cc-backend's
 * `HandleSearchBar`): `type:term` searches by job id, job name, project,
 * array job, username or real name; a plain term is a job id when it is a
 * number, else (for managers and staff) a user, a real name or a project,
 * and otherwise a job name of the last 30 days. Answers with a redirect to
 * the matching list or with a message page.
 *
 * @module
 */
import { h } from "preact";
import { type AuthUser, hasAnyRole } from "../server/auth/auth_user.ts";
import { SearchLookup } from "../server/db/search_lookup.ts";
import { definePage } from "../server/render/define_page.ts";
import type { PageDeps } from "../server/render/page_deps.ts";
import { MessagePage, type MessageProps } from "./message.tsx";

/** A message page instead of a redirect. */
export interface SearchMessage extends MessageProps {
  title: string;
}

const enc = encodeURIComponent;
const THIRTY_DAYS = 30 * 86400;

function privileged(user: AuthUser): boolean {
  return hasAnyRole(user, ["admin", "support", "manager"]);
}

const denied: SearchMessage = { title: "Error", type: "danger", message: "Missing Access Rights" };

/**
 * Where a search for `text` by `user` leads: a URL (302, or 308 for a
 * name search without result) or a message.
 */
export function resolveSearch(
  text: string,
  user: AuthUser,
  deps: Pick<PageDeps, "db" | "now">,
): { location: string; status: 302 | 308 } | SearchMessage {
  const search = text.trim();
  if (search === "") return { title: "Warning", type: "warning", message: "Empty search" };
  const now = deps.now?.() ?? Math.floor(Date.now() / 1000);
  const lastMonth = `startTime=${now - THIRTY_DAYS}-${now}`;
  const to = (location: string) => ({ location, status: 302 as const });
  const parts = search.split(":");
  if (parts.length > 2) {
    return { title: "Error", type: "danger", message: "Searchbar query parameters malformed" };
  }
  const lookup = new SearchLookup(deps.db);
  if (parts.length === 2) {
    const type = parts[0].trim();
    const term = parts[1].trim();
    switch (type) {
      case "jobId":
        return to(`/monitoring/jobs/?jobId=${enc(term)}`);
      case "jobName":
        return to(`/monitoring/jobs/?${lastMonth}&jobName=${enc(term)}`);
      case "projectId":
        return to(`/monitoring/jobs/?projectMatch=eq&project=${enc(term)}`);
      case "arrayJobId":
        return to(`/monitoring/jobs/?${lastMonth}&arrayJobId=${enc(term)}`);
      case "username":
        if (!privileged(user)) return denied;
        return to(`/monitoring/users/?user=${enc(term)}&startTime=last30d`);
      case "name": {
        if (!privileged(user)) return denied;
        const names = lookup.usernamesByName(term);
        if (names.length === 0) {
          return {
            location: "/monitoring/users/?user=NoUserNameFound&startTime=last30d",
            status: 308,
          };
        }
        return to(
          `/monitoring/users/?${names.map((n) => `user=${enc(n)}`).join("&")}&startTime=last30d`,
        );
      }
      default:
        return { title: "Warning", type: "warning", message: `Unknown search type: ${type}` };
    }
  }
  if (/^-?\d+$/.test(search)) return to(`/monitoring/jobs/?jobId=${enc(search)}`);
  if (privileged(user)) {
    if (lookup.hasJobsOfUser(search)) return to(`/monitoring/user/${enc(search)}`);
    const [byName] = lookup.usernamesByName(search);
    if (byName) return to(`/monitoring/user/${enc(byName)}`);
    if (lookup.hasJobsOfProject(search)) {
      return to(`/monitoring/jobs/?projectMatch=eq&project=${enc(search)}`);
    }
  }
  return to(`/monitoring/jobs/?${lastMonth}&jobName=${enc(search)}`);
}

/** `GET /search`. */
export const searchPage = definePage({
  path: "/search",
  title: (m: SearchMessage) => m.title,
  load({ c, user, deps }) {
    const result = resolveSearch(c.req.query("searchId") ?? "", user, deps);
    if ("location" in result) return c.redirect(result.location, result.status);
    return result;
  },
  Page: (m: SearchMessage) => h(MessagePage, { type: m.type, message: m.message }),
});
