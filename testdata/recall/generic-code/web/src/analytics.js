const config = {
  writeKey: process.env.SEGMENT_WRITE_KEY,
  apiKey: 'c6948f6d30c01c3f252edc87ff4adfa3',
  timeout: 3000,
};

function setup(client) {
  client.setApiKey("mANb7qiSXbcmjoaRsuUw");
  client.setApiKey(config.apiKey);
  client.setAuthToken("pNFgFULh2GNqTmSH4BbyOA0H");
}

module.exports = { config, setup };
