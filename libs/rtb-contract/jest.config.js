module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'rtb-contract',
};
