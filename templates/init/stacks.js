// The Pulumi program of this skill (Pulumi.yaml's main): the Skillship stacks, dev and prod, configured by
// Pulumi.<stack>.yaml. It sits at the root, where Pulumi then runs it, so that the configuration's relative paths
// start there. Its exports are the stack outputs the skillship CLI reads (pulumi stack output --json).
module.exports = require("skillship/infra").skillshipStack();
