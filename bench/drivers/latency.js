// Warm handler latency, in-process: loads the skill bundle (argv[2]) once, warms it, then times each request of
// the JSON file argv[3] ({name: envelope}; "__TOKEN__" stands for the stream token of the first answer) over
// argv[5] iterations. Writes {name: [ms, ...]} to argv[4]. The skill's log lines go to the parent's /dev/null.
const { readFileSync, writeFileSync } = require("node:fs");

const [, , bundle, requestsFile, out, iterationsArg] = process.argv;
const iterations = Number(iterationsArg);
const skill = require(bundle);
const template = readFileSync(requestsFile, "utf8");

async function main() {
  const launch = JSON.parse(template).LaunchRequest;
  const first = await skill.handler(launch, {});
  const token = first.response.directives.find((d) => d.type === "AudioPlayer.Play").audioItem.stream.token;
  const requests = JSON.parse(template.split("__TOKEN__").join(JSON.stringify(token).slice(1, -1)));
  const samples = {};
  for (const [name, request] of Object.entries(requests)) {
    const text = JSON.stringify(request);
    for (let i = 0; i < 200; i += 1) await skill.handler(JSON.parse(text), {});
    const times = [];
    for (let i = 0; i < iterations; i += 1) {
      const envelope = JSON.parse(text);
      const start = process.hrtime.bigint();
      const answer = await skill.handler(envelope, {});
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (!answer || answer.version !== "1.0") throw new Error(`${name}: no response envelope`);
    }
    samples[name] = times;
  }
  writeFileSync(out, JSON.stringify(samples));
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
