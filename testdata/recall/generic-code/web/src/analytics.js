const config = {
  writeKey: process.env.SEGMENT_WRITE_KEY,
  apiKey: '30c01c3f252edc87ff4adfa36d084016',
  timeout: 3000,
};

function setup(client) {
  client.setApiKey("joaRsuUwpNFgFULh2GNq");
  client.setApiKey(config.apiKey);
  client.setAuthToken("TmSH4BbyOA0HNkIn3OIOnHn2");
}

module.exports = { config, setup };
