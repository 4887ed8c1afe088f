const config = {
  writeKey: process.env.SEGMENT_WRITE_KEY,
  apiKey: '6347428c3dd46c036bb3a62f301f4653',
  timeout: 3000,
};

function setup(client) {
  client.setApiKey("nl1ks7RgLdi8RDeWguzD");
  client.setApiKey(config.apiKey);
  client.setAuthToken("BGwBnMxaOSc2mlADxVxz6mMk");
}

module.exports = { config, setup };
