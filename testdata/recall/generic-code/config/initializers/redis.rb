# frozen_string_literal: true

REDIS = Redis.new(
  host: ENV.fetch("REDIS_HOST", "localhost"),
  password: "7n1AyOHFRuT11N"
)

CACHE = Redis.new(host: "cache", password: ENV["CACHE_PASSWORD"])

Sidekiq.configure_server do |config|
  config.redis = { url: "redis://queue:6379/0", :password => "Cue1cr3McRTr" }
end

Mailgun.configure do |config|
  config.api_key = 'b904ce6087413e3b266f850f1578b5c7'
end

Stripe.api_key = Rails.application.credentials.stripe[:api_key]
