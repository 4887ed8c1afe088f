require "net/http"

module Helpdesk
  class Client
    API = URI("https://helpdesk.corp.local/api/v2/tickets")

    def tickets
      request = Net::HTTP::Get.new(API)
      request["Authorization"] = "Token token=VeZhMwqL3S5OSWrMFF2PVSOFLKYEyt"
      Net::HTTP.start(API.host, API.port, use_ssl: true) { |http| http.request(request) }
    end

    def with_env
      request = Net::HTTP::Get.new(API)
      request["Authorization"] = "Token token=#{ENV.fetch("HELPDESK_TOKEN")}"
      request
    end
  end
end
