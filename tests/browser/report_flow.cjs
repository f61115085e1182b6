// Browser test: a person asks for a report for their doctor on the website, in Debian's Chromium.
//   node tests/browser/report_flow.cjs <page URL> <folder to save the PDF in>
// Logs a diary day, asks for the report, clicks "Download ....pdf" and saves what the
// browser downloads; then the link says it was used. Prints one JSON line for
// tests/system/test_web.py, which opens the saved PDF.
"use strict";

const path = require("path");
const { REPLY_TIMEOUT, check, launch, say, openChat, watch } = require("./common.cjs");

const [pageUrl, saveDir] = process.argv.slice(2);

async function main() {
  check(pageUrl && saveDir, "usage: report_flow.cjs <page URL> <folder>");
  const browser = await launch();
  const problems = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    watch(page, problems);
    await openChat(page, pageUrl);

    await say(page, "log today: twitching 5/10 in my left calf, 3 coffees, slept 6 hours", (t) => /Saved in your diary/.test(t));
    const ready = await say(page, "can I get a report for my doctor as a pdf?", (t) => /not a diagnosis/.test(t));
    const link = page.locator("#chat-log a.download", { hasText: ".pdf" }).last();
    await link.waitFor({ timeout: REPLY_TIMEOUT });
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const saved = path.join(saveDir, download.suggestedFilename());
    await download.saveAs(saved);
    check(!(await download.failure()), `the download failed: ${await download.failure()}`);
    // The link works once, and says so.
    await page.locator("#chat-log span.download.used").first().waitFor({ timeout: 10000 });
    const sessionId = await page.evaluate(() => JSON.parse(sessionStorage.getItem("bfs-assistant-chat")).sessionId);
    check(problems.length === 0, `problems in the page:\n${problems.join("\n")}`);
    console.log(JSON.stringify({ sessionId, saved, ready }));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(`browser test failed: ${error.message}`);
  process.exit(1);
});
