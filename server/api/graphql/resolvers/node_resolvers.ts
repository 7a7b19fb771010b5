/**
 * Node state queries (`node`, `nodes`, `nodesWithMeta`, `nodeStates`,
 * `nodeStatesTimed`) for administrators and support staff, and
 * `allocatedNodes` (hosts busy with running jobs, per subcluster).
 *
 * @module
 */
import type { NodeQueryFilter, NodeRow } from "../../../db/node_state_query.ts";
import { AppError } from "../../../errors.ts";
import { type GraphqlContext, parseId, requireStaff } from "../graphql_context.ts";
import type { OrderInput, StringInput } from "../job_filter_input.ts";
import type { ResolverMap } from "./resolver_types.ts";

interface NodeFilterInput {
  hostname?: StringInput | null;
  cluster?: StringInput | null;
  subCluster?: StringInput | null;
  schedulerState?: string | null;
  healthState?: string | null;
  timeStart?: number | null;
}

function toNodeFilters(input: NodeFilterInput[] | null | undefined): NodeQueryFilter[] {
  return (input ?? []).map((f) => {
    const out: NodeQueryFilter = {};
    for (const key of ["hostname", "cluster", "subCluster"] as const) {
      const match = f[key];
      if (!match) continue;
      out[key] = Object.fromEntries(
        Object.entries(match).filter(([, v]) => v !== null && v !== undefined),
      );
    }
    if (typeof f.schedulerState === "string") out.schedulerState = f.schedulerState;
    if (typeof f.healthState === "string") out.healthState = f.healthState;
    if (typeof f.timeStart === "number") out.timeStart = f.timeStart;
    return out;
  });
}

function nodeList(
  ctx: GraphqlContext,
  args: { filter?: NodeFilterInput[] | null; order?: OrderInput | null },
) {
  requireStaff(ctx);
  const order = args.order ? { field: args.order.field, order: args.order.order ?? "ASC" } : {};
  const items = ctx.services.nodes.latest(toNodeFilters(args.filter), order);
  return { items, count: items.length };
}

function required(node: NodeRow, field: "schedulerState" | "healthState"): string {
  if (!node[field]) {
    throw new AppError(500, `node ${JSON.stringify(node.hostname)} has no recorded ${field}`);
  }
  return node[field];
}

/** Resolvers of the node state queries and type `Node`. */
export const nodeResolvers: ResolverMap = {
  Query: {
    node: (_: unknown, args: { id: string }, ctx: GraphqlContext) => {
      requireStaff(ctx);
      return ctx.services.nodes.findById(parseId(args.id, "node id"));
    },
    nodes: (
      _: unknown,
      args: { filter?: NodeFilterInput[]; order?: OrderInput },
      ctx: GraphqlContext,
    ) => nodeList(ctx, args),
    nodesWithMeta: (
      _: unknown,
      args: { filter?: NodeFilterInput[]; order?: OrderInput },
      ctx: GraphqlContext,
    ) => nodeList(ctx, args),
    nodeStates: (_: unknown, args: { filter?: NodeFilterInput[] }, ctx: GraphqlContext) => {
      requireStaff(ctx);
      const filters = toNodeFilters(args.filter);
      return [
        ...ctx.services.nodes.stateCounts(filters, "node"),
        ...ctx.services.nodes.stateCounts(filters, "health"),
      ];
    },
    nodeStatesTimed: (
      _: unknown,
      args: { filter?: NodeFilterInput[]; type: string },
      ctx: GraphqlContext,
    ) => {
      requireStaff(ctx);
      if (args.type !== "node" && args.type !== "health") {
        throw new AppError(
          400,
          `unknown node state type ${JSON.stringify(args.type)} (node or health)`,
        );
      }
      return ctx.services.nodes.timedCounts(toNodeFilters(args.filter), args.type);
    },
    allocatedNodes: (_: unknown, args: { cluster: string }, ctx: GraphqlContext) =>
      ctx.services.statistics.allocatedNodes(args.cluster),
  },
  Node: {
    id: (node: NodeRow) => node.id,
    schedulerState: (node: NodeRow) => required(node, "schedulerState"),
    healthState: (node: NodeRow) => required(node, "healthState"),
  },
};
