const { authenticator } = require('otplib');

const token = authenticator.generate('A37ZP37PVH3RJVDNMUUIAMLKUH43TUDL');
console.log(token);
