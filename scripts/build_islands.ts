/**
 * Builds the browser code with esbuild: two vendor modules (`preact`:
 * Preact, its hooks and JSX runtime and @preact/signals; `uplot`), every
 * island in `islands/*.tsx` plus the boot module (ES modules, code
 * splitting for code shared between islands), and the blocking theme
 * script (IIFE). All minified, with content-hashed file names.
 *
 * `deno task build` writes the result to `static/build/` as a generated
 * TypeScript module that imports each bundle as text (so `deno compile`
 * embeds it) and `islands/registry.generated.ts` (the islands the server
 * renders). Both are committed; `deno task build --check` and a test fail
 * when they are out of date. `-dev` runs {@link buildIslands} in memory.
 *
 * Build time only: nothing the server imports at run time imports this file
 * (the `-dev` server loads it dynamically).
 *
 * @module
 */
import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import { basename, join } from "node:path";
import type { BuildManifest, IslandBuild } from "../server/render/build_manifest.ts";

/** The repository root. */
export const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Where the committed build lives, relative to {@link ROOT}. */
export const BUILD_DIR = "static/build";

/** The generated registry of islands, relative to {@link ROOT}. */
export const REGISTRY_FILE = "islands/registry.generated.ts";

/** The vendor modules and the bare specifiers each one serves. */
const VENDORS: Record<string, { specifiers: string[]; source: string }> = {
  preact: {
    specifiers: ["preact", "preact/hooks", "preact/jsx-runtime", "@preact/signals"],
    source: [
      'export * from "preact";',
      'export * from "preact/hooks";',
      'export * from "@preact/signals";',
      'export { jsx, jsxs, jsxDEV } from "preact/jsx-runtime";',
    ].join("\n"),
  },
  uplot: { specifiers: ["uplot"], source: 'export { default } from "uplot";' },
};

/** Names an island may not take: they would collide with the fixed bundles. */
const RESERVED = new Set(["boot", "theme", "chunk", ...Object.keys(VENDORS)]);

const ICON_FONT = "node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2";

/** Options of {@link buildIslands}. */
export interface BuildOptions {
  /** The repository root (default {@link ROOT}). */
  root?: string;
  /** Development build: not minified, inline source maps. */
  dev?: boolean;
}

/** The island names: `islands/<name>.tsx`, tests excluded, sorted. */
export async function islandNames(root = ROOT): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(join(root, "islands"))) {
    const match = /^(.+)\.tsx$/.exec(entry.name);
    if (!entry.isFile || !match || match[1].endsWith("_test")) continue;
    const name = match[1];
    if (!/^[a-z][a-z0-9_]*$/.test(name) || RESERVED.has(name)) {
      throw new Error(
        `cannot build island islands/${entry.name}: the name must be snake_case and not one of ` +
          [...RESERVED].join(", "),
      );
    }
    names.push(name);
  }
  return names.sort();
}

/** esbuild needs the npm packages in node_modules; `deno install` puts them there. */
async function ensureNodeModules(root: string): Promise<void> {
  try {
    await Deno.stat(join(root, "node_modules/preact/package.json"));
    await Deno.stat(join(root, ICON_FONT));
  } catch {
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["install"],
      cwd: root,
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (!result.success) throw new Error(`cannot build islands: "deno install" in ${root} failed`);
  }
}

function outputName(path: string): string {
  return basename(path);
}

function commonOptions(root: string, dev: boolean): esbuild.BuildOptions {
  return {
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    minify: !dev,
    sourcemap: dev ? "inline" : false,
    target: "es2022",
    platform: "browser",
    outdir: BUILD_DIR,
    logLevel: "silent",
    charset: "utf8",
  };
}

async function buildVendors(root: string, dev: boolean): Promise<Record<string, string>> {
  const result = await esbuild.build({
    ...commonOptions(root, dev),
    format: "esm",
    entryPoints: Object.keys(VENDORS).map((name) => ({ in: `vendor:${name}`, out: name })),
    entryNames: "[name]-[hash]",
    plugins: [{
      name: "vendor-entries",
      setup(build) {
        build.onResolve({ filter: /^vendor:/ }, (args) => ({
          path: args.path.slice("vendor:".length),
          namespace: "vendor",
        }));
        build.onLoad({ filter: /.*/, namespace: "vendor" }, (args) => ({
          contents: VENDORS[args.path].source,
          resolveDir: root,
          loader: "js",
        }));
      },
    }],
  });
  const files: Record<string, string> = {};
  for (const file of result.outputFiles ?? []) files[outputName(file.path)] = file.text;
  return files;
}

function vendorOf(vendorFiles: Record<string, string>): Map<string, string> {
  const bySpecifier = new Map<string, string>();
  for (const [vendor, { specifiers }] of Object.entries(VENDORS)) {
    const file = Object.keys(vendorFiles).find((f) => f.startsWith(`${vendor}-`));
    if (!file) throw new Error(`cannot build islands: vendor module ${vendor} missing`);
    for (const specifier of specifiers) bySpecifier.set(specifier, file);
  }
  return bySpecifier;
}

/** Resolves the vendor specifiers to the vendor modules and refuses other copies of them. */
function vendorPlugin(vendors: Map<string, string>): esbuild.Plugin {
  return {
    name: "vendor-externals",
    setup(build) {
      build.onResolve({ filter: /^(preact|@preact\/|uplot)/ }, (args) => {
        const file = vendors.get(args.path);
        if (!file) {
          return {
            errors: [{
              text: `"${args.path}" is not in a vendor module; import one of ${
                [...vendors.keys()].join(", ")
              } (or add it to VENDORS in scripts/build_islands.ts)`,
            }],
          };
        }
        return { path: `/static/${file}`, external: true };
      });
    },
  };
}

async function buildApp(
  root: string,
  dev: boolean,
  vendors: Map<string, string>,
  islands: string[],
): Promise<{ files: Record<string, string>; metafile: esbuild.Metafile }> {
  const result = await esbuild.build({
    ...commonOptions(root, dev),
    format: "esm",
    splitting: true,
    jsx: "automatic",
    jsxImportSource: "preact",
    entryPoints: [
      { in: "islands/runtime/boot.ts", out: "boot" },
      ...islands.map((name) => ({ in: `islands/${name}.tsx`, out: name })),
    ],
    entryNames: "[name]-[hash]",
    chunkNames: "chunk-[hash]",
    plugins: [vendorPlugin(vendors)],
  });
  const files: Record<string, string> = {};
  for (const file of result.outputFiles ?? []) {
    if (!file.path.endsWith(".js")) {
      throw new Error(
        `cannot build islands: ${outputName(file.path)} is not JavaScript; islands must not ` +
          "import CSS (styles go to static/app.css)",
      );
    }
    files[outputName(file.path)] = file.text;
  }
  return { files, metafile: result.metafile! };
}

async function buildTheme(root: string, dev: boolean): Promise<Record<string, string>> {
  const result = await esbuild.build({
    ...commonOptions(root, dev),
    format: "iife",
    entryPoints: [{ in: "islands/runtime/theme_init.ts", out: "theme" }],
    entryNames: "[name]-[hash]",
  });
  const files: Record<string, string> = {};
  for (const file of result.outputFiles ?? []) files[outputName(file.path)] = file.text;
  return files;
}

function shortHash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 12);
}

/** Builds everything in memory. */
export async function buildIslands(options: BuildOptions = {}): Promise<IslandBuild> {
  const root = options.root ?? ROOT;
  const dev = options.dev ?? false;
  await ensureNodeModules(root);
  const islands = await islandNames(root);
  const vendorFiles = await buildVendors(root, dev);
  const vendors = vendorOf(vendorFiles);
  const app = await buildApp(root, dev, vendors, islands);
  const themeFiles = await buildTheme(root, dev);

  const imports: Record<string, string[]> = {};
  const islandFiles: Record<string, string> = {};
  let boot = "";
  for (const [path, output] of Object.entries(app.metafile.outputs)) {
    const name = outputName(path);
    imports[name] = [
      ...new Set(
        output.imports.filter((i) => i.kind === "import-statement").map((i) => outputName(i.path)),
      ),
    ].sort();
    if (output.entryPoint === "islands/runtime/boot.ts") boot = name;
    const island = /^islands\/([a-z0-9_]+)\.tsx$/.exec(output.entryPoint ?? "");
    if (island) islandFiles[island[1]] = name;
  }
  const theme = Object.keys(themeFiles)[0];
  const iconFont = await Deno.readFile(join(root, ICON_FONT));
  const manifest: BuildManifest = {
    boot,
    theme,
    islands: islandFiles,
    imports: Object.fromEntries(Object.entries(imports).sort(([a], [b]) => a.localeCompare(b))),
    iconFont: `bootstrap-icons-${shortHash(iconFont)}.woff2`,
  };
  return { manifest, scripts: { ...vendorFiles, ...app.files, ...themeFiles }, iconFont };
}

function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

const GENERATED_HEADER =
  "// Generated by scripts/build_islands.ts (`deno task build`): do not edit.\n";

/** The generated files of `build`, by path relative to the repository root. */
export function generatedFiles(build: IslandBuild, islands: string[]): Map<string, string> {
  const files = new Map<string, string>();
  const scripts = Object.keys(build.scripts).sort();
  for (const name of scripts) files.set(`${BUILD_DIR}/${name}`, build.scripts[name]);
  files.set(
    `${BUILD_DIR}/icon_font.generated.ts`,
    GENERATED_HEADER + "\n/** The Bootstrap Icons web font (woff2), base64. */\n" +
      `export const ICON_FONT_BASE64 =\n  "${encodeBase64(build.iconFont)}";\n`,
  );
  const imports = scripts.map((name, i) => `import s${i} from "./${name}" with { type: "text" };`);
  files.set(
    `${BUILD_DIR}/manifest.generated.ts`,
    [
      GENERATED_HEADER,
      'import type { BuildManifest } from "../../server/render/build_manifest.ts";',
      ...imports,
      "",
      "/** Hashed file names and static imports of the browser bundles. */",
      `export const MANIFEST: BuildManifest = ${JSON.stringify(build.manifest, null, 2)};`,
      "",
      "/** The bundles by hashed file name. */",
      "export const SCRIPTS: Record<string, string> = {",
      ...scripts.map((name, i) => `  "${name}": s${i},`),
      "};",
      "",
    ].join("\n"),
  );
  files.set(
    REGISTRY_FILE,
    [
      GENERATED_HEADER,
      ...islands.map((name) => `import ${name} from "./${name}.tsx";`),
      "",
      "/** Every island by name (its file name in islands/), for server-side rendering. */",
      "export const ISLANDS = {",
      ...islands.map((name) => `  ${name},`),
      "};",
      "",
    ].join("\n"),
  );
  return files;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

async function filesOnDisk(root: string): Promise<string[]> {
  const paths: string[] = [];
  try {
    for await (const entry of Deno.readDir(join(root, BUILD_DIR))) {
      if (entry.isFile) paths.push(`${BUILD_DIR}/${entry.name}`);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return paths;
}

/** Paths whose committed content differs from a fresh build (missing, stale or extra). */
export async function staleFiles(root = ROOT): Promise<string[]> {
  const expected = generatedFiles(await buildIslands({ root }), await islandNames(root));
  const stale: string[] = [];
  for (const [path, text] of expected) {
    if (await readText(join(root, path)) !== text) stale.push(path);
  }
  for (const path of await filesOnDisk(root)) if (!expected.has(path)) stale.push(path);
  return stale.sort();
}

/** Builds and writes the generated files, removing stale bundles; returns what was written. */
export async function writeBuild(root = ROOT): Promise<Map<string, string>> {
  const files = generatedFiles(await buildIslands({ root }), await islandNames(root));
  await Deno.mkdir(join(root, BUILD_DIR), { recursive: true });
  for (const path of await filesOnDisk(root)) {
    if (!files.has(path)) await Deno.remove(join(root, path));
  }
  for (const [path, text] of files) {
    if (await readText(join(root, path)) !== text) await Deno.writeTextFile(join(root, path), text);
  }
  return files;
}

if (import.meta.main) {
  try {
    if (Deno.args.includes("--check")) {
      const stale = await staleFiles();
      if (stale.length > 0) {
        console.error(`out of date (run "deno task build"): ${stale.join(", ")}`);
        Deno.exitCode = 1;
      } else {
        console.log("island build is up to date");
      }
    } else {
      const files = await writeBuild();
      for (const [path, text] of files) console.log(`${path}\t${text.length} bytes`);
    }
  } finally {
    await esbuild.stop();
  }
}
