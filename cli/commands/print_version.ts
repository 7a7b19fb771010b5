/**
 * `-version`: the banner and version facts, as cc-backend prints them.
 *
 * @module
 */
import { ARCHIVE_VERSION, BUILD, DB_VERSION, VERSION } from "../../server/version.ts";

/** The text `-version` prints. */
export function versionText(): string {
  return [
    "  ____ _           _               ____           _          _ _",
    " / ___| |_   _ ___| |_ ___ _ __   / ___|___   ___| | ___ __ (_) |_",
    "| |   | | | | / __| __/ _ \\ '__| | |   / _ \\ / __| |/ / '_ \\| | __|",
    "| |___| | |_| \\__ \\ ||  __/ |    | |__| (_) | (__|   <| |_) | | |_",
    " \\____|_|\\__,_|___/\\__\\___|_|     \\____\\___/ \\___|_|\\_\\ .__/|_|\\__|",
    "                                                      |_|    for Deno",
    `Version:\t${VERSION}`,
    `Git hash:\t${BUILD.commit}`,
    `Build time:\t${BUILD.date}`,
    `SQL db version:\t${DB_VERSION}`,
    `Job archive version:\t${ARCHIVE_VERSION}`,
  ].join("\n");
}
