/**
 * The home page `/`: the admin notice (`var/notice.txt`) and, per cluster,
 * the running and total job counts the viewer may see (job visibility of
 * the viewer's role). Admins get links to the status and system views.
 *
 * @module
 */
import { hasRole } from "../server/auth/auth_user.ts";
import { jobVisibilityCondition } from "../server/auth/job_visibility.ts";
import { JobQuery } from "../server/db/mod.ts";
import { definePage } from "../server/render/define_page.ts";
import { readNotice } from "../server/render/page_deps.ts";

/** Job counts of one cluster. */
export interface ClusterJobCounts {
  name: string;
  running: number;
  total: number;
}

/** Props of {@link HomePage}. */
export interface HomeProps {
  clusters: ClusterJobCounts[];
  notice: string;
  isAdmin: boolean;
}

const enc = encodeURIComponent;

/** The home page content. */
export function HomePage(props: HomeProps) {
  return (
    <>
      {props.notice && (
        <div class="row justify-content-center">
          <div class="col-12 col-lg-8">
            <div class="alert alert-info d-flex gap-2" role="alert">
              <i class="bi bi-info-circle-fill" aria-hidden="true"></i>
              <div class="cc-notice">{props.notice}</div>
            </div>
          </div>
        </div>
      )}
      <h2>Clusters</h2>
      <div class="table-responsive">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Running Jobs</th>
              <th scope="col">Total Jobs</th>
              {props.isAdmin && <th scope="col">Status View</th>}
              {props.isAdmin && <th scope="col">System View</th>}
            </tr>
          </thead>
          <tbody>
            {props.clusters.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>
                  <a href={`/monitoring/jobs/?cluster=${enc(c.name)}&state=running`}>
                    {c.running} jobs
                  </a>
                </td>
                <td>
                  <a href={`/monitoring/jobs/?cluster=${enc(c.name)}`}>{c.total} jobs</a>
                </td>
                {props.isAdmin && (
                  <td>
                    <a href={`/monitoring/status/${enc(c.name)}`}>Status View</a>
                  </td>
                )}
                {props.isAdmin && (
                  <td>
                    <a href={`/monitoring/systems/${enc(c.name)}`}>System View</a>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** `GET /`. */
export const homePage = definePage({
  path: "/",
  title: "ClusterCockpit",
  async load({ user, deps }) {
    const visibility = jobVisibilityCondition(user);
    const query = new JobQuery(deps.db, { now: deps.now });
    const clusters = deps.archive.clusters().map((cluster): ClusterJobCounts => {
      const onCluster = { cluster: { eq: cluster.name } };
      return {
        name: cluster.name,
        running: query.count({ filters: [{ ...onCluster, state: ["running"] }], visibility }),
        total: query.count({ filters: [onCluster], visibility }),
      };
    });
    return { clusters, notice: await readNotice(deps.varDir), isAdmin: hasRole(user, "admin") };
  },
  Page: HomePage,
});
