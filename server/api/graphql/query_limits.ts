/**
 * Validation rules that bound the work one request can cause: a depth limit
 * and a complexity budget counted as gqlgen counts it (1 per selected field
 * plus its children; lists are not multiplied), with cc-backend's budget of
 * 5000. Fragments are costed once and reused, so a document of nested
 * fragment spreads cannot make the check itself expensive.
 *
 * @module
 */
import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";

/** cc-backend's complexity budget (`FixedComplexityLimit(5000)`). */
export const COMPLEXITY_LIMIT = 5000;

/** Deepest selection accepted; the UI's deepest query has 7 levels. */
export const DEPTH_LIMIT = 15;

interface Measure {
  depth: number;
  cost: number;
}

function measureSet(
  set: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  memo: Map<string, Measure>,
  visiting: Set<string>,
): Measure {
  let depth = 0;
  let cost = 0;
  for (const selection of set?.selections ?? []) {
    let inner: Measure;
    if (selection.kind === Kind.FIELD) {
      const child = measureSet(selection.selectionSet, fragments, memo, visiting);
      inner = { depth: child.depth + 1, cost: child.cost + 1 };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = measureSet(selection.selectionSet, fragments, memo, visiting);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // Unknown and cyclic fragments are reported by the standard rules.
      if (!fragment || visiting.has(name)) continue;
      let known = memo.get(name);
      if (!known) {
        visiting.add(name);
        known = measureSet(fragment.selectionSet, fragments, memo, visiting);
        visiting.delete(name);
        memo.set(name, known);
      }
      inner = known;
    }
    depth = Math.max(depth, inner.depth);
    cost += inner.cost;
  }
  return { depth, cost };
}

/** Rejects operations deeper than `maxDepth` or costlier than `maxCost`. */
export function queryLimitsRule(
  limits: { maxDepth?: number; maxCost?: number } = {},
): ValidationRule {
  const maxDepth = limits.maxDepth ?? DEPTH_LIMIT;
  const maxCost = limits.maxCost ?? COMPLEXITY_LIMIT;
  return function QueryLimits(context: ValidationContext): ASTVisitor {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        fragments.set(definition.name.value, definition);
      }
    }
    const memo = new Map<string, Measure>();
    return {
      OperationDefinition(node) {
        const { depth, cost } = measureSet(node.selectionSet, fragments, memo, new Set());
        const name = node.name ? ` ${node.name.value}` : "";
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(
              `operation${name} is nested ${depth} levels deep, more than the limit of ${maxDepth}`,
              { nodes: node, extensions: { code: "DEPTH_LIMIT_EXCEEDED" } },
            ),
          );
        }
        if (cost > maxCost) {
          context.reportError(
            new GraphQLError(
              `operation${name} has complexity ${cost}, more than the limit of ${maxCost}`,
              { nodes: node, extensions: { code: "COMPLEXITY_LIMIT_EXCEEDED" } },
            ),
          );
        }
        return false;
      },
    };
  };
}
