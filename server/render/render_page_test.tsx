import assert from "node:assert/strict";
import { Island } from "./island.tsx";
import { renderPage } from "./render_page.tsx";
import { embeddedAssets } from "./site_assets.ts";

const HOSTILE = `</script><script>alert("x")</script><!--`;

function payloadOf(
  html: string,
): { islands: { id: number; name: string; url: string; props: Record<string, unknown> }[] } {
  const match = /<script type="application\/json" id="cc-islands">(.*?)<\/script>/s.exec(html);
  assert.ok(match, "no island payload");
  return JSON.parse(match[1]);
}

Deno.test("renderPage() serialises island props for hydration", async (t) => {
  const html = renderPage(
    <div>
      <Island name="theme_toggle" props={{ label: HOSTILE }} />
    </div>,
    { title: "Test <page>" },
  );

  await t.step("the props arrive unchanged, with the island's module URL", () => {
    const { islands } = payloadOf(html);
    const mine = islands.find((i) => i.props.label === HOSTILE);
    assert.ok(mine, "the island with the hostile label is missing");
    assert.equal(mine.name, "theme_toggle");
    assert.equal(mine.url, embeddedAssets().islandUrl("theme_toggle"));
    assert.match(html, new RegExp(`<cc-island data-island-id="${mine.id}">`));
  });

  await t.step("a </script> in a prop cannot end the payload element", () => {
    const scripts = html.match(/<script\b/g) ?? [];
    // The theme script, the payload and the boot module: nothing injected.
    assert.equal(scripts.length, 3);
    assert.doesNotMatch(html, /alert\("x"\)<\/script>/);
  });

  await t.step("text is escaped in the server-rendered HTML", () => {
    assert.match(html, /<title>Test &lt;page><\/title>/);
    assert.ok(html.includes('title="&lt;/script>&lt;script>alert(&quot;x&quot;)'));
  });

  await t.step("no inline executable script: every script has a src or is JSON", () => {
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
      assert.ok(/\bsrc="\/static\//.test(tag) || /type="application\/json"/.test(tag), tag);
    }
  });

  await t.step("the island modules and their imports are preloaded", () => {
    for (const url of embeddedAssets().modulePreloads(["theme_toggle"])) {
      assert.ok(html.includes(`<link rel="modulepreload" href="${url}"/>`), url);
    }
  });
});

Deno.test("<Island> outside renderPage() fails naming the island", async () => {
  const { renderToString } = await import("preact-render-to-string");
  assert.throws(
    () => renderToString(<Island name="theme_toggle" props={{}} />),
    /<Island name="theme_toggle"> rendered outside renderPage\(\)/,
  );
});
