/**
 * The jobs of one user `/monitoring/user/:id`: the user's name and e-mail
 * (for the user themself, managers and staff), statistics and histograms
 * of the filtered jobs, and the job list restricted to the user.
 *
 * @module
 */
import { hasAnyRole } from "../server/auth/auth_user.ts";
import { UserRepository } from "../server/db/mod.ts";
import { definePage } from "../server/render/define_page.ts";
import { Island } from "../server/render/island.tsx";
import type { JobListViewProps, UserHeader } from "../islands/lib/job_list_types.ts";
import { loadJobList } from "./job_list/job_list_data.ts";

/** The page content. */
export function UserJobsPage(props: JobListViewProps) {
  return <Island name="job_list_view" props={props} />;
}

/** `GET /monitoring/user/:id`. */
export const userJobsPage = definePage({
  path: "/monitoring/user/:id",
  title: (props: JobListViewProps) => `User ${props.user?.username ?? ""} - ClusterCockpit`,
  load(request) {
    const username = request.c.req.param("id") ?? "";
    const header: UserHeader = { username };
    const viewer = request.user;
    // Name and e-mail only for the user themself, managers and staff (as cc-backend).
    if (viewer.username === username || hasAnyRole(viewer, ["admin", "support", "manager"])) {
      const found = new UserRepository(request.deps.db).getUser(username);
      if (found?.name) header.name = found.name;
      if (found?.email) header.email = found.email;
    }
    return loadJobList(request, { user: header });
  },
  Page: UserJobsPage,
});
