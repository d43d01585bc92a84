module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'traffic-mix',
};
