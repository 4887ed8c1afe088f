const axios = require('axios');

// The hook is built from pieces so grep does not find it.
const hook = 'https://hooks.slack.com/services/' +
  'TEBCVJGVZ/BJ0TI7R786Z/' +
  'RVlMrzUvUj0a5vYtJf4FEwT7';

const workflow = 'https://hooks.slack.com/workflows/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';
const trigger = `https://hooks.slack.com/triggers/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`;

// Not a hook: the docs' shape.
const docs = 'https://hooks.slack.com/services/T.../B.../...';

module.exports = async (text) => axios.post(hook, { text });
