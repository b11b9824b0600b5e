/**
 * The Pulumi program of this repository (Pulumi.yaml's `main`): the Skillship stacks of `infra/`. It sits at the root
 * because Pulumi runs a program in the folder of its main file, and the stack configuration's relative paths
 * (`mediaFolder`, `bundleDir`) start at the root.
 */
import stacks from "./infra";

export = stacks;
