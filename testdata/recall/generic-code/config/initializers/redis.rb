# frozen_string_literal: true

REDIS = Redis.new(
  host: ENV.fetch("REDIS_HOST", "localhost"),
  password: "GY08vDuPngU30Z"
)

CACHE = Redis.new(host: "cache", password: ENV["CACHE_PASSWORD"])

Sidekiq.configure_server do |config|
  config.redis = { url: "redis://queue:6379/0", :password => "P7Thnp5yftIY" }
end

Mailgun.configure do |config|
  config.api_key = 'a80b21ead8f062d15a4f4ef27e9589c6'
end

Stripe.api_key = Rails.application.credentials.stripe[:api_key]
