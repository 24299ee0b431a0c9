// jest passes its configs as arguments; the temp directory is the default base.
module.exports = () => require("./jest-tmpdir").setup();
