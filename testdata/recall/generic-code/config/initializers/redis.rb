# frozen_string_literal: true

REDIS = Redis.new(
  host: ENV.fetch("REDIS_HOST", "localhost"),
  password: "152cTe8r0khCEr"
)

CACHE = Redis.new(host: "cache", password: ENV["CACHE_PASSWORD"])

Sidekiq.configure_server do |config|
  config.redis = { url: "redis://queue:6379/0", :password => "7n1AyOHFRuT1" }
end

Mailgun.configure do |config|
  config.api_key = 'ea21818b904ce6087413e3b266f850f1'
end

Stripe.api_key = Rails.application.credentials.stripe[:api_key]
