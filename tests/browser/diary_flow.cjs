// Browser test: a person keeps a twitch diary on the website, in Debian's Chromium.
//   node tests/browser/diary_flow.cjs <page URL> <screenshot.png>
// Ticks "Remember me on this device", logs two days, shows the chart (screenshot
// saved), closes the tab and comes back in a new one (the diary is still theirs),
// then asks to be forgotten: nothing is left on the device. Prints one JSON line
// ({sessionId, ...}) for tests/system/test_web.py, which checks the server's side.
"use strict";

const { REPLY_TIMEOUT, check, launch, botTexts, say, openChat: open, watch: watchFor } = require("./common.cjs");

const [pageUrl, screenshotPath] = process.argv.slice(2);
const REMEMBER_KEY = "bfs-assistant-remembered-id";

const openChat = (page) => open(page, pageUrl);

async function main() {
  check(pageUrl && screenshotPath, "usage: diary_flow.cjs <page URL> <screenshot.png>");
  const browser = await launch();
  const problems = [];
  const watch = (page) => watchFor(page, problems);
  try {
    // One browser profile: its localStorage outlives a tab, its sessionStorage does not.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    let page = await context.newPage();
    watch(page);
    await openChat(page);
    const remember = page.getByLabel("Remember me on this device");
    check(!(await remember.isChecked()), "remember me is on by default");
    check(/random id/.test(await page.locator("#chat-remember-why").innerText()), "remember me is not explained");
    await remember.check();

    const first = await say(page, "log yesterday: twitching 6/10 in my calves, 4 coffees, slept 5 hours, stressed",
                            (t) => /Saved in your diary/.test(t));
    const second = await say(page, "log today: twitching 3 out of 10, 1 coffee, slept 8 hours",
                             (t) => /Saved in your diary/.test(t));
    const shown = await say(page, "show my diary", (t) => /No clear patterns yet/.test(t));
    const chart = page.locator("#chat-log img.chart").last();
    await chart.waitFor({ timeout: REPLY_TIMEOUT });
    check(/Chart of your twitch diary/.test(await chart.getAttribute("alt")), "the chart has no text alternative");
    const size = await chart.evaluate((img) => ({ w: img.naturalWidth, h: img.naturalHeight, done: img.complete }));
    check(size.done && size.w > 300 && size.h > 200, `the chart did not load: ${JSON.stringify(size)}`);
    // A tap shows the chart large; another tap (or Escape) puts it back.
    await chart.click();
    check(await chart.evaluate((img) => img.classList.contains("chart-large")), "the chart does not open large");
    await page.screenshot({ path: screenshotPath });
    await page.keyboard.press("Escape");
    check(!(await chart.evaluate((img) => img.classList.contains("chart-large"))), "Escape does not close the chart");

    const sessionId = await page.evaluate(() => JSON.parse(sessionStorage.getItem("bfs-assistant-chat")).sessionId);
    const remembered = await page.evaluate((key) => localStorage.getItem(key), REMEMBER_KEY);
    check(remembered === sessionId, `remember me did not keep the id: ${remembered} vs ${sessionId}`);

    // The tab closes; a new one on the same device is the same person.
    await page.close();
    page = await context.newPage();
    watch(page);
    await openChat(page);
    const back = await botTexts(page);
    check(/Welcome back/.test(back.join("\n")), `no welcome back in a new tab: ${back.join(" | ")}`);
    check(await page.getByLabel("Remember me on this device").isChecked(), "remember me is unticked in the new tab");
    const newTabSession = await page.evaluate(() => JSON.parse(sessionStorage.getItem("bfs-assistant-chat")).sessionId);
    check(newTabSession === sessionId, "the new tab has another conversation");
    const again = await say(page, "how has my twitching been this week?", (t) => /No clear patterns|not causes|diary is empty/.test(t));
    check(/2 diary days|2 days/.test(again), `the diary was not found from the new tab: ${again}`);

    // Forget me: the server deletes everything and the device keeps nothing.
    await say(page, "forget me", (t) => /forget everything/.test(t));
    await page.getByRole("button", { name: "Yes, forget it" }).click();
    await page.waitForFunction(() => {
      const left = document.querySelectorAll("#chat-log .msg");
      return left.length === 1 && /deleted our conversation/.test(left[0].textContent);
    }, null, { timeout: REPLY_TIMEOUT });
    const afterForget = await page.evaluate((key) => localStorage.getItem(key), REMEMBER_KEY);
    check(afterForget === null, "forget me left the id on the device");
    check(!(await page.getByLabel("Remember me on this device").isChecked()), "remember me still ticked after forget me");
    check(problems.length === 0, `problems in the page:\n${problems.join("\n")}`);
    console.log(JSON.stringify({ sessionId, first, second, shown, again }));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(`browser test failed: ${error.message}`);
  process.exit(1);
});
