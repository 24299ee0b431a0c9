module.exports = () => {
  require("./jest-tmpdir").cleanup();
};
