// What the browser tests share: Debian's Chromium launched headless with no
// network of its own (no browser is downloaded), and a person typing a message
// and waiting for the assistant's reply.
"use strict";

const path = require("path");
const { chromium } = require(path.resolve(__dirname, "../../web/node_modules/playwright-core"));

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const REPLY_TIMEOUT = 60000;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
}

async function botTexts(page) {
  return page.locator("#chat-log .msg-bot .bubble").allInnerTexts();
}

// Sends a message and waits until the bot's reply after it satisfies `done`.
async function say(page, text, done) {
  const before = (await botTexts(page)).length;
  await page.getByLabel("Your message").fill(text);
  await page.getByLabel("Your message").press("Enter");
  const deadline = Date.now() + REPLY_TIMEOUT;
  for (;;) {
    const reply = (await botTexts(page)).slice(before).join("\n");
    if (reply && done(reply)) {
      await page.waitForTimeout(300);
      return (await botTexts(page)).slice(before).join("\n");
    }
    check(Date.now() < deadline, `no expected reply to "${text}"; got: ${reply}`);
    await page.waitForTimeout(200);
  }
}

// Opens the page and the chat, and waits for the assistant's first message.
async function openChat(page, pageUrl) {
  await page.goto(pageUrl);
  await page.getByRole("button", { name: "Chat with the assistant" }).click();
  await page.locator("#chat-log .msg-bot").first().waitFor({ timeout: REPLY_TIMEOUT });
}

// Collects console errors and page errors, to fail the test on any.
function watch(page, problems) {
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console: ${msg.text()}`); });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
}

module.exports = { REPLY_TIMEOUT, check, launch, botTexts, say, openChat, watch };
