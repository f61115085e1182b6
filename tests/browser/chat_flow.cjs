// Browser test: a person on the website, in Debian's Chromium driven by Playwright.
//   node tests/browser/chat_flow.cjs <page URL> <screenshot.png>
// Prints one JSON line ({sessionId, messages}) for tests/system/test_web.py, which
// checks the server's side and then writes a line to stdin; the person then
// asks to be forgotten, and a second JSON line follows. Any failed step exits
// non-zero with the reason. No browser is downloaded: executablePath is
// Debian's chromium.
"use strict";

const path = require("path");
const { chromium } = require(path.resolve(__dirname, "../../web/node_modules/playwright-core"));

const [pageUrl, screenshotPath] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const REPLY_TIMEOUT = 60000;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function botMessages(page) {
  return page.locator("#chat-log .msg-bot .bubble").allInnerTexts();
}

// Waits until the reply (the bot messages after `before`) satisfies `done`.
// The first message of a check can take seconds while the action server warms up.
async function reply(page, before, done) {
  const deadline = Date.now() + REPLY_TIMEOUT;
  for (;;) {
    const texts = (await botMessages(page)).slice(before);
    const lastHasChoices = await page.locator("#chat-log > li:last-child .choices").count() > 0;
    if (texts.length && done(texts.join("\n"), lastHasChoices)) {
      await page.waitForTimeout(300);
      return (await botMessages(page)).slice(before).join("\n");
    }
    if (Date.now() > deadline) {
      const status = await page.locator("#chat-status").innerText();
      const last = (await page.locator("#chat-log .bubble").allInnerTexts()).slice(-3).join(" | ");
      throw new Error(`no expected reply in time; got: ${texts.join(" | ")} (status: "${status}"; last: ${last})`);
    }
    await page.waitForTimeout(200);
  }
}

const anyReply = () => true;
const aQuestion = (text, lastHasChoices) => lastHasChoices;

// Sends a message and returns the assistant's reply once `done` holds.
async function say(page, text, done = anyReply) {
  const before = (await botMessages(page)).length;
  await page.getByLabel("Your message").fill(text);
  await page.getByLabel("Your message").press("Enter");
  return reply(page, before, done);
}

// Clicks an answer button and returns the assistant's reply once `done` holds.
async function choose(page, button, done = aQuestion) {
  const before = (await botMessages(page)).length;
  await button.click();
  return reply(page, before, done);
}

async function main() {
  check(pageUrl && screenshotPath, "usage: chat_flow.cjs <page URL> <screenshot.png>");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
  const problems = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const pageHost = new URL(pageUrl).hostname;
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (!["http:", "https:", "ws:", "wss:"].includes(url.protocol)) return;
      if (url.hostname !== pageHost) problems.push(`request outside the site: ${request.url()}`);
    });
    page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console: ${msg.text()}`); });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));

    // The landing page: title, emergency line, disclaimer.
    await page.goto(pageUrl);
    check((await page.locator("h1").innerText()).includes("muscle twitching"), "no page title");
    check((await page.getByRole("note", { name: "Emergency" }).innerText()).includes("999"), "no emergency line");
    check((await page.locator(".disclaimer").innerText()).includes("not a doctor"), "no disclaimer");

    // The widget opens with the greeting, its buttons as real buttons.
    await page.getByRole("button", { name: "Chat with the assistant" }).click();
    const greeting = await reply(page, 0, aQuestion);
    check(greeting.includes("not a doctor"), `greeting without the disclaimer: ${greeting}`);
    check(await page.getByRole("button", { name: "BFS or ALS?" }).isVisible(), "greeting buttons not rendered as buttons");
    check(await page.evaluate(() => document.activeElement.id === "chat-input"), "focus is not in the message box");

    // An FAQ, typed.
    const answer = await say(page, "how is BFS different from ALS", (text) => /Source:/.test(text));
    check(/ALS/.test(answer) && /Source:/.test(answer), `no BFS-vs-ALS answer with its source: ${answer}`);

    // Text that looks like markup is shown as text, never run or rendered.
    const markup = '<img src=x onerror="window.__injected=1"><b>bold?</b>';
    await say(page, markup);  // whatever the reply, the text must stay text
    const shown = await page.locator("#chat-log .msg-user .bubble").last().innerText();
    check(shown.endsWith(markup), `the user's text was altered: ${shown}`);
    check(await page.locator("#chat-log img, #chat-log .msg-user b").count() === 0, "user text became HTML");
    check(await page.evaluate(() => window.__injected === undefined), "user text ran as script");

    // A link from the assistant opens in a new tab without access to this page.
    await say(page, "I want to talk to a doctor", (text) => /book/.test(text));
    const booking = page.locator('#chat-log .msg-bot a[href^="https://"]').last();
    check(await booking.count() === 1, "the booking link is not a link");
    check(await booking.getAttribute("target") === "_blank", "the link does not open in a new tab");
    check((await booking.getAttribute("rel")).split(" ").includes("noopener"), "the link lacks rel=noopener");

    // A symptom check, answered with a button.
    const firstQuestion = await say(page, "can you check my symptoms?", aQuestion);
    const choices = page.locator("#chat-log .msg-bot .choices").last().getByRole("button");
    check(await choices.count() >= 2, `the first question has no answer buttons: ${firstQuestion}`);
    const choiceTitle = await choices.first().innerText();
    const secondQuestion = await choose(page, choices.first());
    const lastUser = await page.locator("#chat-log .msg-user .bubble").last().innerText();
    check(lastUser.endsWith(choiceTitle), `the chosen answer is not shown as the person's message: ${lastUser}`);
    check(await page.locator("#chat-log .msg-bot .choices button").count() ===
          await page.locator("#chat-log .msg-bot .choices").last().getByRole("button").count(),
          "answered questions still offer their buttons");

    // Reload: the same conversation is shown, and the server still has it.
    const beforeReload = await page.locator("#chat-log .bubble").allInnerTexts();
    const sessionId = await page.evaluate(() => JSON.parse(sessionStorage.getItem("bfs-assistant-chat")).sessionId);
    await page.reload();
    await page.locator("#chat-log .msg").first().waitFor({ timeout: REPLY_TIMEOUT });
    const afterReload = await page.locator("#chat-log .bubble").allInnerTexts();
    check(JSON.stringify(afterReload) === JSON.stringify(beforeReload), "the conversation changed on reload");
    await page.waitForFunction(() => document.getElementById("chat-status").textContent === "", null,
                               { timeout: REPLY_TIMEOUT });
    const reloadedChoices = page.locator("#chat-log .msg-bot .choices").last().getByRole("button");
    check(await reloadedChoices.count() >= 2, `the open question lost its buttons on reload: ${secondQuestion}`);
    const thirdQuestion = await choose(page, reloadedChoices.first());
    check(!/Hi, I'm a guide/.test(thirdQuestion), "the assistant started over after the reload");

    await page.screenshot({ path: screenshotPath });
    check(problems.length === 0, `problems in the page:\n${problems.join("\n")}`);
    const messages = await page.locator("#chat-log .bubble").allInnerTexts();
    console.log(JSON.stringify({ sessionId, firstQuestion, secondQuestion, thirdQuestion, messages }));

    // The caller checks the server's copy, then says "go" on stdin: forget me.
    await new Promise((resolve) => process.stdin.once("data", resolve));
    await say(page, "forget me", aQuestion);
    // The widget then keeps only the confirmation, so wait for that, not for "more messages".
    await page.getByRole("button", { name: "Yes, forget it" }).click();
    await page.waitForFunction(() => {
      const left = document.querySelectorAll("#chat-log .msg");
      return left.length === 1 && /deleted our conversation/.test(left[0].textContent);
    }, null, { timeout: REPLY_TIMEOUT });
    const left = await page.locator("#chat-log .bubble").allInnerTexts();
    const stored = await page.evaluate(() => JSON.parse(sessionStorage.getItem("bfs-assistant-chat")).messages);
    check(stored.length === 1 && /deleted our conversation/.test(stored[0].text),
          `the browser kept the conversation: ${JSON.stringify(stored).slice(0, 300)}`);
    check(problems.length === 0, `problems in the page:\n${problems.join("\n")}`);
    console.log(JSON.stringify({ forgotten: true, left }));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(`browser test failed: ${error.message}`);
  process.exit(1);
});
