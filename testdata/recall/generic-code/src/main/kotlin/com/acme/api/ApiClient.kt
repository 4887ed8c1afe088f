package com.acme.api

import okhttp3.Credentials
import okhttp3.OkHttpClient

object ApiClient {
    private const val API_KEY_HEADER = "X-Api-Key"
    private val apiKey: String = "z9CPVNPkNa1Hedcm4pMbXDuC"
    val password = "L1mHoOsFaQfD"
    private val buildPassword = BuildConfig.API_PASSWORD

    fun client(): OkHttpClient = OkHttpClient.Builder()
        .authenticator { _, response ->
            response.request.newBuilder()
                .header("Authorization", Credentials.basic("android", "PrAJ71fTquWoGs"))
                .build()
        }
        .build()
}
