/**
 * The commits the workflows may pin each action to, with the release each commit is: read from each action's own
 * repository (tags resolved to their commits) and recorded in the team's shared ACTIONS-PINS.md. A pin the table
 * does not know, or a version comment that is not the pinned commit's, is a problem of the action rule.
 */
export const verifiedPins: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "actions/checkout": {
    fbc6f3992d24b796d5a048ff273f7fcc4a7b6c09: "v5.1.0",
    "3d3c42e5aac5ba805825da76410c181273ba90b1": "v7.0.1",
  },
  "actions/setup-node": {
    a0853c24544627f65ddf259abe73b1d18a591444: "v5.0.0",
    "820762786026740c76f36085b0efc47a31fe5020": "v7.0.0",
  },
  "actions/upload-artifact": {
    ea165f8d65b6e75b540449e92b4886f43607fa02: "v4.6.2",
    bbbca2ddaa5d8feaa63e36b76fdaad77386f024f: "v7.0.0",
  },
  "actions/download-artifact": {
    d3f86a106a0bac45b974a628896c90dbdf5c8093: "v4.3.0",
    "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c": "v8.0.1",
  },
  "pulumi/actions": {
    "8582a9e8cc630786854029b4e09281acd6794b58": "v6.6.1",
    "8e5e406f4007fca908480587cb9893c07090f58d": "v7.0.0",
  },
  "aws-actions/configure-aws-credentials": {
    "61815dcd50bd041e203e49132bacad1fd04d2708": "v5.1.1",
    e6de054238d6b7531b4efff3b6587d9aade6a06c: "v6.2.3",
  },
  "marocchino/sticky-pull-request-comment": {
    "773744901bac0e8cbb5a0dc842800d45e9b2b405": "v2.9.4",
    "5770ad5eb8f42dd2c4f34da00c94c5381e49af88": "v3.0.5",
  },
};
