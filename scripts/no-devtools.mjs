// Stands in for react-devtools-core in the bundled view (scripts/build-if-stale.mjs):
// Ink loads the devtools only when DEV=true, which mntns never sets.
export default { initialize() {}, connectToDevTools() {} };
