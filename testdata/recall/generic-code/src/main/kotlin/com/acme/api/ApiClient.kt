package com.acme.api

import okhttp3.Credentials
import okhttp3.OkHttpClient

object ApiClient {
    private const val API_KEY_HEADER = "X-Api-Key"
    private val apiKey: String = "AJ71fTquWoGsbeKXgzg2sye9"
    val password = "b2Rann76dEyT"
    private val buildPassword = BuildConfig.API_PASSWORD

    fun client(): OkHttpClient = OkHttpClient.Builder()
        .authenticator { _, response ->
            response.request.newBuilder()
                .header("Authorization", Credentials.basic("android", "9AW7hipTgadDZF"))
                .build()
        }
        .build()
}
