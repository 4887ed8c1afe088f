// Jenkins: stored AWS access keys bound into the build.
pipeline {
  agent any
  stages {
    stage('deploy') {
      steps {
        withCredentials([[$class: 'AmazonWebServicesCredentialsBinding', credentialsId: 'deploy-aws']]) {
          sh 'aws s3 ls'
        }
      }
    }
  }
}
