/**
 * Nodes of the clusters: scheduler-state updates and their metric health.
 *
 * @module
 */

export {
  type NodeHealth,
  type NodeHealthChecker,
  type NodeHealthQuery,
  UNCHECKED_HEALTH,
} from "./node_health.ts";
export { schedulerState } from "./scheduler_state.ts";
export {
  type NodeReport,
  type NodeStatesRequest,
  type NodeStatesResult,
  updateNodeStates,
  type UpdateNodeStatesOptions,
} from "./update_node_states.ts";
