/**
 * The user and project lists `/monitoring/users/` and `/monitoring/projects/`
 * (cc-backend's List view): per user or project the totals of the jobs the
 * viewer may see that match the URL filters (cluster, state, start time,
 * ...), read with the GraphQL `jobsStatistics(groupBy: USER|PROJECT)` the
 * reference frontend sends. Sorted on the server by `?sort=<col>&order=asc|desc`
 * (default: Total Jobs, descending). As in cc-backend, the page is not
 * gated by role: the navbar offers it to managers and up, and the data
 * follows the viewer's job visibility (a plain user sees their own row).
 *
 * @module
 */
import { definePage, type PageRequest } from "../server/render/define_page.ts";
import { runPageQuery } from "../server/render/page_graphql.ts";
import { filterToGraphql, parseFilterParams } from "../islands/lib/job_filters.ts";

/** Which list. */
export type ListType = "USER" | "PROJECT";

/** One row: the group id and its totals (hours truncated to integers). */
export interface ListRow {
  id: string;
  name: string;
  totalJobs: number;
  runningJobs: number;
  shortJobs: number;
  totalWalltime: number;
  totalCoreHours: number;
  totalAccHours: number;
}

/** A sortable column. */
export type ListColumn = keyof ListRow;

/** Props of {@link ListPage}. */
export interface ListProps {
  type: ListType;
  rows: ListRow[];
  sort: ListColumn;
  order: "asc" | "desc";
  /** The request's query without `sort`/`order`, for the sort links. */
  query: string;
  cluster?: string;
  clusters: string[];
}

const NUMERIC: readonly ListColumn[] = [
  "totalJobs",
  "runningJobs",
  "shortJobs",
  "totalWalltime",
  "totalCoreHours",
  "totalAccHours",
];

const COLUMNS: Record<ListType, readonly ListColumn[]> = {
  USER: ["id", "name", ...NUMERIC],
  PROJECT: ["id", ...NUMERIC],
};

const LABELS: Record<ListType, Record<ListColumn, string>> = {
  USER: {
    id: "Username",
    name: "Name",
    totalJobs: "Total Jobs",
    runningJobs: "Running Jobs",
    shortJobs: "Short Jobs",
    totalWalltime: "Total Walltime",
    totalCoreHours: "Total Core Hours",
    totalAccHours: "Total Accelerator Hours",
  },
  PROJECT: {
    id: "Project Name",
    name: "Name",
    totalJobs: "Total Jobs",
    runningJobs: "Running Jobs",
    shortJobs: "Short Jobs",
    totalWalltime: "Total Walltime",
    totalCoreHours: "Total Core Hours",
    totalAccHours: "Total Accelerator Hours",
  },
};

const enc = encodeURIComponent;

function statsQuery(type: ListType): string {
  return `query ($filter: [JobFilter!]) { jobsStatistics(filter: $filter, groupBy: ${type}) ` +
    "{ id name totalJobs runningJobs shortJobs totalWalltime totalCoreHours totalAccHours } }";
}

function compareText(x: unknown, y: unknown): number {
  const a = String(x), b = String(y);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts `rows` by `column` (ties by id, ascending; text by code point). */
export function sortRows(rows: ListRow[], column: ListColumn, order: "asc" | "desc"): ListRow[] {
  const sign = order === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[column], y = b[column];
    const cmp = typeof x === "number" && typeof y === "number" ? x - y : compareText(x, y);
    return sign * cmp || compareText(a.id, b.id);
  });
}

function rowLink(type: ListType, id: string, running = false): string {
  if (type === "USER") return `/monitoring/user/${enc(id)}${running ? "?state=running" : ""}`;
  return `/monitoring/jobs/?project=${enc(id)}${running ? "&state=running" : ""}`;
}

function SortHeader(props: ListProps & { column: ListColumn }) {
  const active = props.sort === props.column;
  const next = active && props.order === "desc" ? "asc" : active ? "desc" : (
    props.column === "id" || props.column === "name" ? "asc" : "desc"
  );
  const href = `?${props.query ? `${props.query}&` : ""}sort=${props.column}&order=${next}`;
  const icon = active ? (props.order === "asc" ? "bi-sort-up" : "bi-sort-down") : "bi-filter";
  return (
    <th
      scope="col"
      aria-sort={active ? (props.order === "asc" ? "ascending" : "descending") : undefined}
    >
      <a href={href} class="text-reset text-decoration-none" data-sort={props.column}>
        {LABELS[props.type][props.column]} <i class={`bi ${icon}`} aria-hidden="true"></i>
      </a>
    </th>
  );
}

/** The list page content. */
export function ListPage(props: ListProps) {
  const base = props.type === "USER" ? "/monitoring/users/" : "/monitoring/projects/";
  const noun = props.type === "USER" ? "users" : "projects";
  const columns = COLUMNS[props.type];
  return (
    <>
      <div class="d-flex flex-wrap gap-2 align-items-center mb-2">
        <span class="me-1">Cluster:</span>
        <a
          class={`btn btn-sm ${props.cluster ? "btn-outline-secondary" : "btn-secondary"}`}
          href={base}
        >
          All Clusters
        </a>
        {props.clusters.map((c) => (
          <a
            key={c}
            class={`btn btn-sm ${props.cluster === c ? "btn-secondary" : "btn-outline-secondary"}`}
            href={`${base}?cluster=${enc(c)}`}
          >
            {c}
          </a>
        ))}
        <span class="text-muted small ms-2">
          Only {noun} with matching jobs will be displayed.
        </span>
      </div>
      <div class="table-responsive">
        <table class="table table-sm table-hover cc-list-table">
          <thead>
            <tr>
              {columns.map((column) => <SortHeader key={column} {...props} column={column} />)}
            </tr>
          </thead>
          <tbody>
            {props.rows.length === 0 && (
              <tr>
                <td colSpan={columns.length}>No {noun}/jobs found</td>
              </tr>
            )}
            {props.rows.map((row) => (
              <tr key={row.id}>
                <td>
                  <a href={rowLink(props.type, row.id)} class="cc-list-id">{row.id}</a>
                </td>
                {props.type === "USER" && <td>{row.name}</td>}
                <td>{row.totalJobs}</td>
                <td>
                  <a href={rowLink(props.type, row.id, true)}>{row.runningJobs}</a>
                </td>
                <td title="Jobs shorter than the configured short-running-jobs duration">
                  {row.shortJobs}
                </td>
                <td>{row.totalWalltime}</td>
                <td>{row.totalCoreHours}</td>
                <td>{row.totalAccHours}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

async function loadList({ c, user, deps }: PageRequest, type: ListType): Promise<ListProps> {
  const params = new URL(c.req.url).searchParams;
  const columns = COLUMNS[type];
  const wanted = params.get("sort") as ListColumn | null;
  const sort: ListColumn = wanted && columns.includes(wanted) ? wanted : "totalJobs";
  const order = params.get("order") === "asc"
    ? "asc"
    : params.get("order") === "desc"
    ? "desc"
    : (sort === "id" || sort === "name" ? "asc" : "desc");
  const rest = new URLSearchParams(params);
  rest.delete("sort");
  rest.delete("order");
  const filter = parseFilterParams(params);
  // An AppError (bad filter, no roles) becomes the message page with its status.
  const answer = await runPageQuery<{ jobsStatistics: ListRow[] }>(deps, user, {
    query: statsQuery(type),
    variables: { filter: filterToGraphql(filter) },
  });
  const rows = answer.jobsStatistics;
  return {
    type,
    rows: sortRows(rows, sort, order),
    sort,
    order,
    query: rest.toString(),
    ...(filter.cluster ? { cluster: filter.cluster } : {}),
    clusters: deps.archive.clusters().map((cl) => cl.name),
  };
}

/** `GET /monitoring/users/`. */
export const usersListPage = definePage({
  path: "/monitoring/users/",
  title: "Users - ClusterCockpit",
  load: (request) => loadList(request, "USER"),
  Page: ListPage,
});

/** `GET /monitoring/projects/`. */
export const projectsListPage = definePage({
  path: "/monitoring/projects/",
  title: "Projects - ClusterCockpit",
  load: (request) => loadList(request, "PROJECT"),
  Page: ListPage,
});
