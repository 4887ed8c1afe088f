// Jenkins: the agent's own IAM role (instance profile / IRSA), no stored keys.
pipeline {
  agent { label 'aws-irsa' }
  stages {
    stage('deploy') {
      steps {
        sh 'aws s3 ls'
      }
    }
  }
}
