/**
 * The demo's job statistics are the archiver's (one implementation); this
 * module only forwards them to the demo generators.
 *
 * @module
 */
export { jobStatistics, round2, seriesStatistics } from "../archiver/job_statistics.ts";
