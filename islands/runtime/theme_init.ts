/**
 * The blocking head script: applies the stored theme before the first paint
 * (no flash of the wrong theme) and follows the browser's colour scheme
 * while the choice is `auto`. A classic script (IIFE), not a module, and
 * without Preact so that it stays a few hundred bytes.
 *
 * @module
 */
import { applyThemeMode, storedThemeMode } from "../lib/theme.ts";

applyThemeMode(storedThemeMode());
globalThis.matchMedia?.("(prefers-color-scheme: dark)").addEventListener("change", () => {
  applyThemeMode(storedThemeMode());
});
