// One cold start: load the skill module named by argv[2], answer the LaunchRequest envelope in the JSON file
// argv[3], check that the answer plays a clip through a presigned S3 URL, exit. The parent times the process.
const { readFileSync } = require("node:fs");

const skill = require(process.argv[2]);
const launch = JSON.parse(readFileSync(process.argv[3], "utf8"));
skill.handler(launch, {}).then((answer) => {
  const play = (answer.response.directives || []).find((d) => d.type === "AudioPlayer.Play");
  if (!play || !play.audioItem.stream.url.includes("X-Amz-Signature=")) {
    process.stderr.write(`cold start: no presigned stream in ${JSON.stringify(answer)}\n`);
    process.exit(1);
  }
});
