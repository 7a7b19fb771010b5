/**
 * Builds the executable schema: the SDL of `schema_sdl.ts` with our scalars
 * and the resolvers of every domain attached. Fields without a resolver read
 * the same-named property of their parent (graphql-js' default).
 *
 * @module
 */
import { buildSchema, GraphQLObjectType, GraphQLScalarType, type GraphQLSchema } from "graphql";
import { SCALARS } from "./scalars.ts";
import { SCHEMA_SDL } from "./schema_sdl.ts";
import type { ResolverMap } from "./resolvers/resolver_types.ts";
import { clusterResolvers } from "./resolvers/cluster_resolvers.ts";
import { jobResolvers } from "./resolvers/job_resolvers.ts";
import { metricResolvers } from "./resolvers/metric_resolvers.ts";
import { statisticsResolvers } from "./resolvers/statistics_resolvers.ts";
import { analysisResolvers } from "./resolvers/analysis_resolvers.ts";
import { nodeResolvers } from "./resolvers/node_resolvers.ts";
import { nodeMetricResolvers } from "./resolvers/node_metric_resolvers.ts";
import { tagResolvers } from "./resolvers/tag_resolvers.ts";
import { userResolvers } from "./resolvers/user_resolvers.ts";

/** Every domain's resolvers. */
export const RESOLVER_MAPS: readonly ResolverMap[] = [
  clusterResolvers,
  jobResolvers,
  metricResolvers,
  statisticsResolvers,
  analysisResolvers,
  nodeResolvers,
  nodeMetricResolvers,
  tagResolvers,
  userResolvers,
];

/** Attaches `maps` to `schema`; a resolver for an unknown type or field is a programming error. */
export function attachResolvers(schema: GraphQLSchema, maps: readonly ResolverMap[]): void {
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      const type = schema.getType(typeName);
      if (!(type instanceof GraphQLObjectType)) {
        throw new Error(`resolvers given for ${typeName}, which is not an object type`);
      }
      const known = type.getFields();
      for (const [fieldName, resolve] of Object.entries(fields)) {
        if (!known[fieldName]) {
          throw new Error(`resolver for unknown field ${typeName}.${fieldName}`);
        }
        known[fieldName].resolve = resolve as (typeof known)[string]["resolve"];
      }
    }
  }
}

/** Gives the SDL's scalar types the coercion of our scalar implementations. */
function attachScalars(schema: GraphQLSchema): void {
  for (const [name, impl] of Object.entries(SCALARS)) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLScalarType)) throw new Error(`scalar ${name} missing in the SDL`);
    // buildSchema creates placeholder scalars; adopting the implementation in place keeps
    // every reference to the type valid (the pattern graphql-tools uses).
    Object.assign(type, {
      serialize: impl.serialize,
      parseValue: impl.parseValue,
      parseLiteral: impl.parseLiteral,
      coerceOutputValue: impl.coerceOutputValue,
      coerceInputValue: impl.coerceInputValue,
      coerceInputLiteral: impl.coerceInputLiteral,
      description: type.description ?? impl.description,
    });
  }
}

/** The executable schema (build once and share; it holds no request state). */
export function createGraphqlSchema(): GraphQLSchema {
  const schema = buildSchema(SCHEMA_SDL);
  attachScalars(schema);
  attachResolvers(schema, RESOLVER_MAPS);
  return schema;
}
