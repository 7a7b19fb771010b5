/**
 * Which sub-fields a query selects on the current field (names, honouring
 * fragments, `@include` and `@skip`), so resolvers compute only what is
 * asked for — e.g. `jobsStatistics` runs only the aggregates and histograms
 * in the selection.
 *
 * @module
 */
import {
  type FieldNode,
  getDirectiveValues,
  GraphQLIncludeDirective,
  type GraphQLResolveInfo,
  GraphQLSkipDirective,
  Kind,
  type SelectionSetNode,
} from "graphql";

type Directed = Parameters<typeof getDirectiveValues>[1];

function included(node: Directed, info: GraphQLResolveInfo): boolean {
  const variables = info.variableValues;
  const skip = getDirectiveValues(GraphQLSkipDirective, node, variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, variables);
  return include?.if !== false;
}

function collect(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, out: Set<string>) {
  for (const selection of set?.selections ?? []) {
    if (!included(selection, info)) continue;
    if (selection.kind === Kind.FIELD) out.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet, info, out);
    else if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = info.fragments[selection.name.value];
      if (fragment) collect(fragment.selectionSet, info, out);
    }
  }
}

/** Names of the fields selected below the field being resolved. */
export function selectedFields(info: GraphQLResolveInfo): Set<string> {
  const out = new Set<string>();
  for (const node of info.fieldNodes as readonly FieldNode[]) collect(node.selectionSet, info, out);
  return out;
}
