// The Pulumi program of this skill: the Skillship stacks (dev and prod), configured by Pulumi.<stack>.yaml.
// Its exports are the stack outputs the skillship CLI reads (pulumi stack output --json > outputs.json).
module.exports = require("skillship/infra").skillshipStack();
