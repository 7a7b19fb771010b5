/**
 * Every page route, mounted in this order by `mountPages()`. Add a page
 * here after creating its module.
 *
 * @module
 */
import type { PageRoute } from "../server/render/define_page.ts";
import { homePage } from "./home.tsx";
import { jobPage } from "./job.tsx";
import { jobComparePage } from "./job_compare.tsx";
import { imprintPage, privacyPage } from "./legal.tsx";
import { loginPage } from "./login.tsx";
import { jobsPage } from "./jobs.tsx";
import { userJobsPage } from "./user_jobs.tsx";
import { searchPage } from "./search.ts";
import { projectsListPage, usersListPage } from "./lists.tsx";
import { tagsPage } from "./tags.tsx";

export { pageNotFound, renderNotFoundPage } from "./not_found.tsx";
export { type LoginPageOptions, renderLoginPage, safeRedirect } from "./login.tsx";
export { type MessagePageOptions, renderMessagePage } from "./message.tsx";

/** The pages. */
export const PAGES: readonly PageRoute[] = [
  homePage,
  loginPage,
  imprintPage,
  privacyPage,
  jobPage,
  jobComparePage,
  jobsPage,
  userJobsPage,
  searchPage,
  usersListPage,
  projectsListPage,
  tagsPage,
];
