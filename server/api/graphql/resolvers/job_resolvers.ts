/**
 * `job`, `jobs` and the fields of `Job`: a page of jobs is one query (plus
 * one count when `count` is selected); tags and user names of the page are
 * loaded in one batch each; footprints come from the job row itself.
 *
 * @module
 */
import type { GraphQLResolveInfo } from "graphql";
import type { Job } from "../../../archive/types.ts";
import { hasAnyRole } from "../../../auth/auth_user.ts";
import { AppError } from "../../../errors.ts";
import { NO_ROWS } from "../../../jobs/job_lookup.ts";
import { canReadTag, type GraphqlContext, jobVisibility, parseId } from "../graphql_context.ts";
import {
  type JobFilterInput,
  type OrderInput,
  type PageInput,
  toJobFilters,
  toJobOrder,
  toJobPage,
} from "../job_filter_input.ts";
import { selectedFields } from "../selected_fields.ts";
import type { ResolverMap } from "./resolver_types.ts";

/** Page of `jobs` without a `page` argument (cc-backend's default). */
export const DEFAULT_JOB_PAGE = { itemsPerPage: 50, page: 1 };

/** The visible job with database id `id`, or a 404 GraphQL error. */
export function visibleJob(ctx: GraphqlContext, id: unknown): Job {
  const dbId = parseId(id, "job id");
  const job = ctx.services.jobs.findById(dbId, { visibility: jobVisibility(ctx) });
  if (!job) throw new AppError(404, `cannot find job with id ${dbId}: ${NO_ROWS}`);
  return job;
}

interface JobsArgs {
  filter?: JobFilterInput[] | null;
  page?: PageInput | null;
  order?: OrderInput | null;
}

function jobsResult(ctx: GraphqlContext, args: JobsArgs, info: GraphQLResolveInfo) {
  const filters = toJobFilters(args.filter);
  const visibility = jobVisibility(ctx);
  const order = toJobOrder(args.order);
  const page = toJobPage(args.page, DEFAULT_JOB_PAGE);
  const wanted = selectedFields(info);
  const jobs = ctx.services.jobs;
  // Both run before the response is built, so errors surface on the `jobs` field.
  const listed = wanted.has("items") || wanted.has("hasNextPage")
    ? jobs.listPage({ filters, visibility, order, page })
    : { items: [], hasNextPage: false };
  const count = wanted.has("count") ? jobs.count({ filters, visibility }) : null;
  return { items: listed.items, hasNextPage: listed.hasNextPage, count, offset: null, limit: null };
}

const ENERGY_HARDWARE: [RegExp, string][] = [
  [/cpu|Cpu|CPU/, "CPU"],
  [/acc|Acc|ACC/, "Accelerator"],
  [/mem|Mem|MEM/, "Memory"],
  [/core|Core|CORE/, "Core"],
];

/** `<metric>_<stat>` split at the last underscore. */
function footprintValues(footprint: Record<string, number> | null | undefined) {
  return Object.entries(footprint ?? {}).map(([key, value]) => {
    const cut = key.lastIndexOf("_");
    return cut < 0
      ? { name: key, stat: "", value }
      : { name: key.slice(0, cut), stat: key.slice(cut + 1), value };
  });
}

/** Resolvers of `job`, `jobs` and type `Job`. */
export const jobResolvers: ResolverMap = {
  Query: {
    job: (_: unknown, args: { id: string }, ctx: GraphqlContext) => {
      const job = visibleJob(ctx, args.id);
      // cc-backend's extra rule: another user's job only for admin, support
      // and manager (api-only tokens, which see all jobs in lists, fail it).
      const viewer = ctx.viewer;
      if (
        viewer && job.user !== viewer.username &&
        !hasAnyRole(viewer, ["admin", "support", "manager"])
      ) {
        throw new AppError(403, "you are not allowed to see this job");
      }
      return job;
    },
    jobs: (_: unknown, args: JobsArgs, ctx: GraphqlContext, info: GraphQLResolveInfo) =>
      jobsResult(ctx, args, info),
  },
  Job: {
    id: (job: Job) => job.id,
    startTime: (job: Job) => job.startTime,
    walltime: (job: Job) => job.walltime ?? 0,
    numHWThreads: (job: Job) => job.numHwthreads ?? 0,
    numAcc: (job: Job) => job.numAcc ?? 0,
    energy: (job: Job) => job.energy ?? 0,
    SMT: (job: Job) => job.smt ?? 0,
    partition: (job: Job) => job.partition ?? "",
    arrayJobId: (job: Job) => job.arrayJobId ?? 0,
    monitoringStatus: (job: Job) => job.monitoringStatus ?? 0,
    state: (job: Job) => job.jobState,
    metaData: (job: Job) => job.metaData ?? null,
    resources: (job: Job) => job.resources,
    footprint: (job: Job) => footprintValues(job.footprint),
    energyFootprint: (job: Job) =>
      Object.entries(job.energyFootprint ?? {}).map(([metric, value]) => ({
        hardware: ENERGY_HARDWARE.find(([re]) => re.test(metric))?.[1] ?? "Other",
        metric,
        value,
      })),
    tags: async (job: Job, _: unknown, ctx: GraphqlContext) =>
      (await ctx.jobTags.load(job.id!)).filter((t) => canReadTag(ctx, t.scope)),
    userData: async (job: Job, _: unknown, ctx: GraphqlContext) => {
      const viewer = ctx.viewer;
      const allowed = !viewer || viewer.username === job.user ||
        hasAnyRole(viewer, ["admin", "support", "manager"]);
      return allowed ? await ctx.userContacts.load(job.user) : null;
    },
    concurrentJobs: (job: Job, _: unknown, ctx: GraphqlContext) => {
      // As cc-backend: only jobs sharing their nodes and running long enough have neighbours.
      if (job.shared === "none" || job.duration <= 600) return null;
      const items = ctx.services.jobs.concurrentJobs(job, { visibility: jobVisibility(ctx) });
      const listQuery = [`cluster=${encodeURIComponent(job.cluster)}`]
        .concat(items.map((i) => `jobId=${i.jobId}`)).join("&");
      return { items, count: items.length, listQuery };
    },
  },
};
